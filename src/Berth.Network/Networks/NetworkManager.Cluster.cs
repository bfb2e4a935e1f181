using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Cluster;
using Berth.Network.Drivers;
using Berth.Network.Ipam;
using Berth.Network.Persistence;
using Berth.Store;

namespace Berth.Network.Networks;

/// <summary>
/// Swarm-scoped networks (overlay): recorded in the cluster store, the same layout as local ones (<c>networks/</c>,
/// names, subnet claims, address claims), so every node's watch sees them. A manager creates and removes them; a
/// node makes their kernel objects only while it has endpoints on them (the driver's work). They are in the cache
/// while this node is linked to a cluster; <c>network ls</c> on a worker shows only those it uses, as Docker's does.
/// </summary>
public sealed partial class NetworkManager
{
    /// <summary>Docker's answer to a swarm-scoped network asked of a node in no swarm.</summary>
    public const string SwarmRequired =
        "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

    /// <summary>Docker's answer to a worker that creates a swarm-scoped network.</summary>
    public const string WorkerCannotCreate = "Cannot create a multi-host network from a worker node. Please create the network from a manager node.";

    private ClusterScope? _cluster;

    /// <summary>
    /// Tells who on the cluster still uses a swarm-scoped network (a description, or null for nobody): set by the
    /// cluster's endpoint records (<see cref="ClusterEndpoints"/>), asked before such a network is removed.
    /// </summary>
    public Func<NetworkId, CancellationToken, Task<string?>>? UsedInClusterAsync { get; set; }

    /// <summary>
    /// Tells which service's spec uses a swarm-scoped network (a description such as <c>service ID</c>, or null for
    /// none), read from the service records, the truth: set by the cluster's services on a manager. Such a network's
    /// removal is refused at once, as swarmkit's; without it, tasks still on the network are tasks of removed services,
    /// and <see cref="OnlyLeavingUsersAsync"/> tells so.
    /// </summary>
    public Func<NetworkId, CancellationToken, Task<string?>>? ServiceUsersAsync { get; set; }

    /// <summary>
    /// Whether everything still on a swarm-scoped network is going: it has endpoints, and each is a task of a service
    /// that no longer uses it (removed, as <c>docker stack rm</c> removes the services and then at once their networks).
    /// Such a network's removal drains it instead of refusing it. Set by the cluster's networking.
    /// </summary>
    public Func<NetworkId, CancellationToken, Task<bool>>? OnlyLeavingUsersAsync { get; set; }

    /// <summary>The cluster this node is linked to, if any.</summary>
    public ClusterLink? Cluster => Volatile.Read(ref _cluster)?.Link;

    /// <summary>A network in the cache by id; null if unknown (not ready, gone, or of a cluster this node is not linked to).</summary>
    public NetworkState? Find(NetworkId id) => _networks.GetValueOrDefault(id);

    /// <summary>Every swarm-scoped network this node knows (listed or not, draining included).</summary>
    public IReadOnlyList<NetworkState> SwarmNetworks() => [.. _networks.Values.Where(IsSwarmScoped)];

    /// <summary>The swarm's ingress network (the lowest id if a user made several); null when there is none or no cluster is linked.</summary>
    public NetworkState? IngressNetwork() =>
        Cluster is null ? null : SwarmNetworks().Where(n => n.Config.Ingress && Visible(n)).OrderBy(n => n.Id.Value, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>Whether the network lives in the cluster store.</summary>
    public static bool IsSwarmScoped(NetworkState network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Config.Scope == SwarmScope;
    }

    /// <summary>Where the network's container addresses are claimed: the cluster store for swarm-scoped networks.</summary>
    public AddressClaims AddressesOf(NetworkState network) =>
        IsSwarmScoped(network) ? (Volatile.Read(ref _cluster) ?? throw new BerthException(ErrorKind.Unavailable, SwarmRequired)).Addresses : Addresses;

    /// <summary>
    /// Links this manager to a cluster: loads its networks (a manager finishes removals a crash interrupted, and
    /// follows draining ones to their end) and follows them by a watch. A previous link is dropped first.
    /// </summary>
    public async Task AttachClusterAsync(ClusterLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DetachClusterLockedAsync().ConfigureAwait(false);
            var scope = new ClusterScope(link);
            long revision = await link.Store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var stored in await scope.Repository.LoadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!Kept(stored.Network))
                {
                    if (link.Manager)
                    {
                        await scope.Repository.DeleteAsync(stored.Network.Id, cancellationToken).ConfigureAwait(false);
                        await scope.Addresses.ForgetNetworkAsync(stored.Network.Id, cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                Apply(scope.Fence, stored.Network.Id, stored.Network, stored.ModRevision);
            }

            Volatile.Write(ref _cluster, scope);
            scope.Watch = WatchStoreAsync(scope.Repository, scope.Fence, revision, scope.Stopping.Token);
            scope.Drains = link.Manager ? FollowDrainsAsync(scope.Stopping.Token) : Task.CompletedTask;
            NetworksChanged?.Invoke();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the cluster's networks from the cache and stops following them (the node left, or its session closed).</summary>
    public async Task DetachClusterAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await DetachClusterLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DetachClusterLockedAsync()
    {
        if (Interlocked.Exchange(ref _cluster, null) is not { } scope)
        {
            return;
        }

        await scope.Stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await scope.Watch.ConfigureAwait(false);
            await scope.Drains.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The watch ends with the cancellation that stopped it.
        }

        lock (_cacheLock)
        {
            _networks = _networks.RemoveRange(_networks.Values.Where(IsSwarmScoped).Select(n => n.Id));
        }

        scope.Stopping.Dispose();
        NetworksChanged?.Invoke();
    }

    /// <summary>The store, IPAM and claims a new network of this driver goes to; a swarm-scoped one needs a manager's link.</summary>
    private (NetworkRepository Repository, NetworkIpam Ipam, RevisionFence Fence) ScopeFor(INetworkDriver driver)
    {
        if (driver.Capabilities.Scope != NetworkDriverScope.Swarm)
        {
            return (_repository, _ipam, _fence);
        }

        var scope = Volatile.Read(ref _cluster) ?? throw new BerthException(ErrorKind.Unavailable, SwarmRequired);
        return scope.Link.Manager ? (scope.Repository, scope.Ipam, scope.Fence) : throw new BerthException(ErrorKind.Forbidden, WorkerCannotCreate);
    }

    private (NetworkRepository Repository, RevisionFence Fence) ScopeOf(NetworkState network)
    {
        if (!IsSwarmScoped(network))
        {
            return (_repository, _fence);
        }

        var scope = Volatile.Read(ref _cluster) ?? throw new BerthException(ErrorKind.Unavailable, SwarmRequired);
        return (scope.Repository, scope.Fence);
    }

    /// <summary>A swarm-scoped network still used on some node (this one's endpoints included): Docker's refusal.</summary>
    private async Task ThrowIfUsedInClusterAsync(NetworkState network, CancellationToken cancellationToken)
    {
        if (!IsSwarmScoped(network))
        {
            return;
        }

        if (Volatile.Read(ref _cluster) is not { Link.Manager: true })
        {
            throw new BerthException(ErrorKind.Unavailable, SwarmRequired);
        }

        if (UsedInClusterAsync is { } used && await used(network.Id, cancellationToken).ConfigureAwait(false) is { } user)
        {
            throw new BerthException(ErrorKind.Forbidden, $"rpc error: code = FailedPrecondition desc = network {network.Id.Value} is in use by {user}");
        }
    }

    /// <summary>
    /// Visible in <c>network ls</c>: every local network; a swarm-scoped one on a manager, or on a worker that uses it;
    /// the ingress network everywhere (every node is in the routing mesh), as Docker's.
    /// </summary>
    private bool Listed(NetworkState network) =>
        Visible(network) && (!IsSwarmScoped(network) || network.Config.Ingress || Volatile.Read(ref _cluster) is { Link.Manager: true } || IsInUse?.Invoke(network.Id) == true);

    private sealed class ClusterScope(ClusterLink link)
    {
        public ClusterLink Link { get; } = link;

        public NetworkRepository Repository { get; } = new(link.Store);

        public AddressClaims Addresses { get; } = new(link.Store);

        public NetworkIpam Ipam { get; } = new(link.DefaultAddressPools.Select(pool => new DefaultAddressPool(pool, link.SubnetSize)));

        public RevisionFence Fence { get; } = new();

        public CancellationTokenSource Stopping { get; } = new();

        public Task Watch { get; set; } = Task.CompletedTask;

        /// <summary>A manager's following of draining networks to their removal.</summary>
        public Task Drains { get; set; } = Task.CompletedTask;
    }
}
