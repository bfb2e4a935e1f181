using System.Threading.Channels;
using Berth.Core.Errors;
using Berth.Network.Dns;
using Berth.Network.Endpoints;
using Berth.Network.Networks;
using Berth.Network.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Cluster;

/// <summary>
/// Follows this node's cluster session for the network layer: on each new link (init, join, a restart's resume, a new
/// session) the swarm-scoped networks are loaded and watched, this node's endpoints on them published again, and other
/// nodes' followed; when the session closes, all of that stops. Links are applied one at a time, in the background
/// (the swarm tells of them from its own flow), the latest winning; a link that fails to apply is retried while it is
/// still the latest. Containers restored before the link are given their names on its networks once it is applied.
/// </summary>
public sealed class ClusterNetworking : IAsyncDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly NetworkManager _networks;
    private readonly EndpointManager _endpoints;
    private readonly ClusterEndpoints _cluster;
    private readonly ClusterLinkSource _source;
    private readonly ContainerDns? _dns;
    private readonly ServiceTable? _services;
    private readonly Ingress.IngressController? _ingress;
    private readonly Overlay.Sealed.OverlayKeyFollower? _keys;
    private readonly ILogger _logger;
    private readonly Channel<ClusterLink?> _links = Channel.CreateUnbounded<ClusterLink?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private ClusterLink? _applied;

    public ClusterNetworking(NetworkManager networks, EndpointManager endpoints, ClusterEndpoints cluster, ClusterLinkSource source, ContainerDns? dns = null, ILogger? logger = null,
        ServiceTable? services = null, Ingress.IngressController? ingress = null, Overlay.Sealed.OverlayKeyFollower? keys = null)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(endpoints);
        _networks = networks;
        _endpoints = endpoints;
        _cluster = cluster;
        _source = source;
        _dns = dns;
        _services = services;
        _ingress = ingress;
        _keys = keys;
        _logger = logger ?? NullLogger.Instance;
        endpoints.Cluster = cluster;
        networks.UsedInClusterAsync = async (network, cancellationToken) =>
            await cluster.AnyOnAsync(network, cancellationToken).ConfigureAwait(false) is { } user ? $"container {user.ContainerName} on node {user.Node}" : null;
        networks.OnlyLeavingUsersAsync = OnlyLeavingUsersAsync;
        _loop = RunAsync(_stopping.Token);
    }

    /// <summary>
    /// Whether the network has endpoints (the store's, of every node) and each is a task of a service that no longer
    /// uses it (removed: its tasks are being stopped on their nodes); its removal then drains it. Which services use it
    /// is the service records' answer (<see cref="NetworkManager.ServiceUsersAsync"/>, asked before this) where the
    /// cluster's services give one: the bindings this node follows lag behind a <c>service rm</c> that just returned
    /// (the leader derives them).
    /// </summary>
    private async Task<bool> OnlyLeavingUsersAsync(Core.Networks.NetworkId network, CancellationToken cancellationToken)
    {
        var users = await _cluster.OnAsync(network, cancellationToken).ConfigureAwait(false);
        var bound = _networks.ServiceUsersAsync is not null ? []
            : _services?.ViewOf(network).Services.Select(s => s.Binding.ServiceId).ToHashSet(StringComparer.Ordinal) ?? [];
        return users.Count > 0 && users.All(e => e.ServiceId is not null && !bound.Contains(e.ServiceId));
    }

    /// <summary>
    /// The link whose networks, endpoints and services this node follows now (its apply finished); null while none
    /// is, or while a new one is being applied. What acts on containers of swarm-scoped networks waits for it.
    /// </summary>
    public ClusterLink? Applied => Volatile.Read(ref _applied);

    /// <summary>The link to apply next (null: none); returns at once.</summary>
    public void Follow(ClusterLink? link) => _links.Writer.TryWrite(link);

    /// <summary>Applies a link now and waits for it (tests; the daemon uses <see cref="Follow"/>).</summary>
    public async Task ApplyAsync(ClusterLink? link, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _applied, null);
        if (link is null)
        {
            if (_ingress is not null)
            {
                // While the link still holds: the entry's records and address go back to the cluster.
                await LeaveMeshAsync().ConfigureAwait(false);
            }

            if (_services is not null)
            {
                await _services.DisconnectAsync().ConfigureAwait(false);
            }

            await _cluster.DisconnectAsync().ConfigureAwait(false);
            await _networks.DetachClusterAsync().ConfigureAwait(false);
            if (_keys is not null)
            {
                await _keys.DisconnectAsync().ConfigureAwait(false);
            }

            _source.Set(null);
            return;
        }

        _source.Set(link);
        if (_keys is not null)
        {
            // Before the sandboxes are resynced: an encrypted network's frames are sealed from its first one.
            await _keys.ConnectAsync(link, cancellationToken).ConfigureAwait(false);
        }

        await _networks.AttachClusterAsync(link, cancellationToken).ConfigureAwait(false);
        await _cluster.ConnectAsync(link, cancellationToken).ConfigureAwait(false);
        await _endpoints.PublishAllAsync(cancellationToken).ConfigureAwait(false);
        if (await _cluster.WithdrawStaleAsync(cancellationToken).ConfigureAwait(false) is > 0 and var withdrawn)
        {
            ClusterNetworkLog.StaleWithdrawn(_logger, withdrawn);
        }

        if (_services is not null)
        {
            // After the endpoints: the services' backends are known when their bindings are first listed.
            await _services.ConnectAsync(link.Store, cancellationToken).ConfigureAwait(false);
        }

        Resync();
        if (_dns is not null)
        {
            await _dns.SyncClusterEndpointsAsync(cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _applied, link);
        _ingress?.Kick();
    }

    private async Task LeaveMeshAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _ingress!.LeaveAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BerthException or InvalidOperationException or IOException or OperationCanceledException)
        {
            // The store may already be gone with the session: what it keeps lapses with the node's lease.
            ClusterNetworkLog.Failed(_logger, "leaving the routing mesh", e);
        }
    }

    /// <summary>Each swarm-scoped driver's objects on this node brought in line with the cluster just listed (after a restart: what changed while it was away).</summary>
    private void Resync()
    {
        var swarm = _networks.SwarmNetworks();
        foreach (var driver in _networks.Drivers.All.OfType<Drivers.IRemoteEndpointDriver>())
        {
            foreach (string change in driver.Resync([.. swarm.Where(n => _networks.Drivers.Of(n) == driver)]))
            {
                ClusterNetworkLog.Resynced(_logger, change);
            }
        }
    }

    /// <summary>berthd stops: following ends, this node's endpoint records stay for their lease (a restart puts them on a new one).</summary>
    public async ValueTask DisposeAsync()
    {
        _links.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Volatile.Write(ref _applied, null);
        if (_services is not null)
        {
            await _services.DisconnectAsync().ConfigureAwait(false);
        }

        await _cluster.DisconnectAsync(withdraw: false).ConfigureAwait(false);
        await _networks.DetachClusterAsync().ConfigureAwait(false);
        if (_keys is not null)
        {
            await _keys.DisconnectAsync().ConfigureAwait(false);
        }

        _source.Set(null);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            while (await _links.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                ClusterLink? link = null;
                while (_links.Reader.TryRead(out var next))
                {
                    link = next;
                }

                while (!stopping.IsCancellationRequested)
                {
                    try
                    {
                        await ApplyAsync(link, stopping).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
                    {
                        ClusterNetworkLog.Failed(_logger, "linking the networks to the cluster", e);
                        await Task.Delay(Retry, stopping).ConfigureAwait(false);
                        if (_links.Reader.TryPeek(out _))
                        {
                            break; // a newer link came meanwhile: apply that one
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // berthd is stopping: DisposeAsync unlinks.
        }
    }
}
