using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Core.Addressing;
using Berth.Core.Concurrency;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Links;
using Berth.Network.Cluster;
using Berth.Linux.Namespaces;
using Berth.Linux.Routes;
using Berth.Network.Drivers;
using Berth.Network.Ipam;
using Berth.Network.Networks;
using Berth.Network.Persistence;
using Berth.Store;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Endpoints;

/// <summary>
/// Containers' attachments to networks. The state store is the truth: each address is a claim made by a store
/// transaction (<see cref="AddressClaims"/>), so no address is handed out twice even by two daemons sharing a store;
/// the endpoint record under <c>endpoints/&lt;container&gt;/&lt;network&gt;</c> is created only if absent and changed
/// by compare-and-swap. The in-memory table is a cache fed by this manager's writes and by a watch on
/// <c>endpoints/</c>. Interfaces are made by the network's driver inside the container's namespace. Work is
/// serialised per container, not globally: different containers attach in parallel.
/// </summary>
public sealed partial class EndpointManager : IDisposable
{
    private const string Prefix = "endpoints/";

    /// <summary>How often a read-modify-write of one record is retried when it keeps changing.</summary>
    private const int MaxUpdateAttempts = 16;

    private readonly NetworkManager _networks;
    private readonly IStateStore _store;
    private readonly KeyedLock<string> _containers = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();
    private readonly RevisionFence _fence = new();
    private readonly CancellationTokenSource _stopping = new();
    private EndpointTable _endpoints = EndpointTable.Empty;
    private Task _watch = Task.CompletedTask;
    private readonly ILogger _logger;

    public EndpointManager(NetworkManager networks, IStateStore store, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(networks);
        _networks = networks;
        _store = store;
        _logger = logger ?? NullLogger.Instance;
        networks.IsInUse = HasEndpoints;
    }

    /// <summary>The registered network drivers.</summary>
    public NetworkDriverRegistry Drivers => _networks.Drivers;

    /// <summary>The address claims of local networks in the store.</summary>
    public AddressClaims Addresses => _networks.Addresses;

    /// <summary>The cluster's endpoint records (set by the daemon): endpoints on swarm-scoped networks are published there.</summary>
    public ClusterEndpoints? Cluster { get; set; }

    public IReadOnlyList<EndpointState> OfContainer(string containerId) => _endpoints.OfContainer(containerId);

    public IReadOnlyList<EndpointState> OfNetwork(NetworkId network) => [.. _endpoints.Where(e => e.NetworkId == network)];

    /// <summary>The ids owning this node's endpoints that <paramref name="match"/> accepts (a build's, say).</summary>
    public IReadOnlyList<string> Owners(Func<string, bool> match) => [.. _endpoints.Select(e => e.ContainerId).Where(match).Distinct(StringComparer.Ordinal)];

    /// <summary>A network by id, name or unique id prefix (NotFound: <c>network X not found</c>).</summary>
    public Task<NetworkState> FindNetworkAsync(string idOrName, CancellationToken cancellationToken = default) =>
        _networks.GetAsync(idOrName, cancellationToken);

    /// <summary>Whether the network is known now (a swarm's only once the node is back in its swarm; a draining one still is).</summary>
    public bool IsNetworkLoaded(NetworkId network) => _networks.Find(network) is not null;

    /// <summary>Whether a container of this node is on the network (the node's own entry does not count).</summary>
    public bool HasEndpoints(NetworkId network) => _endpoints.Any(e => e.NetworkId == network && !e.NodeEntry);

    /// <summary>
    /// Connects a container (its namespace already made) to a network. Docker's errors: a second
    /// endpoint on one network is 403; a fixed address on a network whose subnet the daemon chose is 400.
    /// </summary>
    public async Task<EndpointState> AttachAsync(string containerId, string containerName, NetworkNamespace container, EndpointRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(request);
        using var held = await _containers.LockAsync(containerId, cancellationToken).ConfigureAwait(false);
        var network = await _networks.GetAsync(request.Network, cancellationToken).ConfigureAwait(false);
        if (network.Phase == NetworkPhase.Draining)
        {
            // Removed by its user; only the endpoints leaving it still find it (by id).
            throw new BerthException(ErrorKind.NotFound, $"network {request.Network} not found");
        }

        var driver = Drivers.Of(network);
        if (!driver.Capabilities.ConnectsContainers)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"container {containerName} cannot be connected to network {network.Name}: the {network.Driver} driver gives containers no interface of their own");
        }

        if (_endpoints.Find(containerId, network.Id) is not null)
        {
            throw AlreadyConnected(containerName, network);
        }

        bool swarm = NetworkManager.IsSwarmScoped(network);
        // A service's task may join any swarm-scoped network its service names; plain containers only attachable ones.
        if (swarm && !network.Config.Attachable && request.ServiceId is null && !request.NodeEntry)
        {
            throw new BerthException(ErrorKind.Forbidden, $"Could not attach to network {network.Name}: rpc error: code = PermissionDenied desc = network {network.Name} not manually attachable");
        }

        var addresses = _networks.AddressesOf(network);

        if ((request.IPv4Address is not null || request.IPv6Address is not null) && !network.Subnets.Any(s => s.Requested))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "user specified IP address is supported only when connecting to networks with user configured subnets");
        }

        var pool4 = PoolOf(driver, network, AddressFamily.InterNetwork);
        var pool6 = PoolOf(driver, network, AddressFamily.InterNetworkV6);
        IPPrefix? v4 = null, v6 = null;
        try
        {
            if (pool4 is not null)
            {
                v4 = new IPPrefix(await addresses.ClaimAsync(network.Id, network.Name, pool4, containerId, request.IPv4Address, request.PreferredIPv4Address, cancellationToken).ConfigureAwait(false), pool4.Subnet.PrefixLength);
            }
            else if (request.IPv4Address is not null)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"network {network.Name} has no IPv4 subnet for {request.IPv4Address}");
            }

            if (pool6 is not null && (network.Config.EnableIPv6 || request.IPv6Address is not null))
            {
                v6 = new IPPrefix(await addresses.ClaimAsync(network.Id, network.Name, pool6, containerId, request.IPv6Address, request.PreferredIPv6Address, cancellationToken).ConfigureAwait(false), pool6.Subnet.PrefixLength);
            }

            var endpoint = new EndpointState
            {
                EndpointId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                ContainerId = containerId,
                NetworkId = network.Id,
                InterfaceName = request.InterfaceName ?? NextInterfaceName(containerId),
                IPv4 = v4,
                IPv6 = v6,
                Gateway = v4 is null ? null : GatewayOf(network, AddressFamily.InterNetwork),
                IPv6Gateway = v6 is null ? null : GatewayOf(network, AddressFamily.InterNetworkV6),
                MacAddress = Format(request.MacAddress ?? MacFor(v4?.Address)),
                HostInterface = driver.PlanEndpoint(network, containerId).HostInterface,
                DefaultRoute = request.DefaultRoute,
                StaticAddress = request.IPv4Address is not null || request.IPv6Address is not null,
                Aliases = request.Aliases,
                Links = request.Links,
                ClusterName = swarm ? containerName.TrimStart('/') : null,
                Hidden = request.Hidden,
                ClusterNetworkName = swarm ? network.Name : null,
                ServiceId = request.ServiceId,
                NodeEntry = request.NodeEntry,
                OutOfRotation = request.ServiceId is not null && request.OutOfRotation,
            };

            driver.Join(network, endpoint, container);
            long revision;
            try
            {
                // Created only if absent: another daemon sharing the store cannot have connected this container too.
                var result = await _store.TransactAsync(new StoreTransaction
                {
                    Compares = [new StoreCompare(Key(endpoint), 0)],
                    Success = [StoreOperation.Put(Key(endpoint), Encode(endpoint))],
                }, cancellationToken).ConfigureAwait(false);
                revision = result.Succeeded ? result.Revision : throw AlreadyConnected(containerName, network);
            }
            catch
            {
                driver.Leave(network, endpoint, container);
                throw;
            }

            if (swarm)
            {
                try
                {
                    await PublishAsync(endpoint, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    driver.Leave(network, endpoint, container);
                    await _store.TryDeleteAsync(Key(endpoint), revision, CancellationToken.None).ConfigureAwait(false);
                    throw;
                }
            }

            Apply(containerId, network.Id, endpoint, revision);
            return endpoint;
        }
        catch
        {
            await ReleaseAsync(network, containerId, v4, v6).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Disconnects a container from a network. Not connected: NotFound, <c>container X is not connected to network Y</c>
    /// (Docker's words; Docker answers them with a 500, but it is the request that names what is not there).
    /// </summary>
    public async Task DetachAsync(string containerId, string containerName, NetworkNamespace? container, string networkIdOrName, CancellationToken cancellationToken = default)
    {
        using var held = await _containers.LockAsync(containerId, cancellationToken).ConfigureAwait(false);
        var network = await _networks.GetAsync(networkIdOrName, cancellationToken).ConfigureAwait(false);
        var endpoint = _endpoints.Find(containerId, network.Id)
            ?? throw new BerthException(ErrorKind.NotFound, $"container {containerName} is not connected to network {network.Name}");
        // The store first: one transaction removes the record and the container's address claims (one fsync, not
        // three), each compared on the revision just read; re-read on conflict. Then the kernel: a crash between the
        // two leaves links no endpoint names, which the next start removes — never a record whose links are gone.
        var driver = Drivers.Of(network);
        var claims = new List<(IPAddress Address, SubnetAllocation Pool)>();
        foreach (var (prefix, family) in new[] { (endpoint.IPv4, AddressFamily.InterNetwork), (endpoint.IPv6, AddressFamily.InterNetworkV6) })
        {
            if (prefix is { } address && PoolOf(driver, network, family) is { } pool)
            {
                claims.Add((address.Address, pool));
            }
        }

        for (int attempt = 0; ; attempt++)
        {
            var compares = new List<StoreCompare>();
            var deletes = new List<StoreOperation>();
            var entry = await _store.GetAsync(Key(endpoint), cancellationToken).ConfigureAwait(false);
            if (entry is not null)
            {
                compares.Add(new StoreCompare(entry.Key, entry.ModRevision));
                deletes.Add(StoreOperation.Delete(entry.Key));
            }

            // A swarm-scoped network's claims are in the cluster store: released on their own below.
            foreach (var (address, _) in NetworkManager.IsSwarmScoped(network) ? [] : claims)
            {
                if (await _store.GetAsync(AddressClaims.KeyOf(network.Id, address), cancellationToken).ConfigureAwait(false) is { } claim
                    && System.Text.Encoding.UTF8.GetString(claim.Value.Span) == containerId)
                {
                    compares.Add(new StoreCompare(claim.Key, claim.ModRevision));
                    deletes.Add(StoreOperation.Delete(claim.Key));
                }
            }

            if (deletes.Count == 0)
            {
                break;
            }

            var result = await _store.TransactAsync(new StoreTransaction { Compares = [.. compares], Success = [.. deletes] }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                if (entry is not null)
                {
                    Apply(containerId, network.Id, null, result.Revision);
                }

                break;
            }

            if (attempt + 1 >= MaxUpdateAttempts)
            {
                throw new BerthException(ErrorKind.Unavailable, $"endpoint of container {containerName} on network {network.Name}: its record kept changing during {MaxUpdateAttempts} attempts to remove it; retry");
            }
        }

        // The record is gone: whatever the kernel says, the cluster's record and the claims go too (a link the driver
        // could not remove is a stray the next start removes); its error is the caller's after that.
        BerthException? kernel = null;
        try
        {
            if (container is not null)
            {
                driver.Leave(network, endpoint, container);
            }
            else
            {
                driver.Released(network, endpoint);
            }
        }
        catch (BerthException e)
        {
            kernel = e;
        }

        await ReleaseHeldAsync(network, endpoint, containerId, claims, cancellationToken).ConfigureAwait(false);
        if (kernel is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(kernel);
        }
    }

    private async Task ReleaseHeldAsync(NetworkState network, EndpointState endpoint, string containerId, List<(IPAddress Address, SubnetAllocation Pool)> claims, CancellationToken cancellationToken)
    {
        if (NetworkManager.IsSwarmScoped(network))
        {
            if (Cluster is { } cluster)
            {
                await cluster.UnpublishAsync(network.Id, endpoint.EndpointId, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (address, pool) in claims)
            {
                await _networks.AddressesOf(network).ReleaseAsync(network.Id, network.Name, pool, address, containerId, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        foreach (var (address, pool) in claims)
        {
            await Addresses.ForgetAsync(network.Id, network.Name, pool, address, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Publishes this node's endpoints on swarm-scoped networks to the cluster (after the cluster was linked again:
    /// a restart, a new session); the records' lease makes them vanish with the node. Those of containers whose run
    /// ended are withheld: they wait for their release.
    /// </summary>
    public async Task PublishAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var endpoint in _endpoints.Where(e => e.ClusterName is not null && !IsWithheld(e)).ToList())
        {
            await PublishAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task PublishAsync(EndpointState endpoint, CancellationToken cancellationToken) =>
        (Cluster ?? throw new BerthException(ErrorKind.Unavailable, NetworkManager.SwarmRequired)).PublishAsync(new RemoteEndpoint
        {
            Node = "",
            Vtep = IPAddress.None,
            NetworkId = endpoint.NetworkId,
            EndpointId = endpoint.EndpointId,
            ContainerId = endpoint.ContainerId,
            ContainerName = endpoint.ClusterName ?? "",
            MacAddress = endpoint.MacAddress,
            IPv4 = endpoint.IPv4?.Address,
            IPv6 = endpoint.IPv6?.Address,
            Aliases = endpoint.Aliases,
            ServiceId = endpoint.ServiceId,
            OutOfRotation = endpoint.OutOfRotation,
            NodeEntry = endpoint.NodeEntry,
        }, cancellationToken);

    /// <summary>
    /// After a disconnect took a running container's default route with it: the route goes to its next endpoint
    /// with a gateway on a network that is not internal (Docker moves the sandbox's gateway the same way).
    /// </summary>
    public async Task PromoteDefaultRouteAsync(string containerId, NetworkNamespace container, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        using var held = await _containers.LockAsync(containerId, cancellationToken).ConfigureAwait(false);
        var own = _endpoints.OfContainer(containerId);
        if (own.Any(e => e.DefaultRoute))
        {
            return;
        }

        foreach (var candidate in own.Where(e => e.Gateway is not null || e.IPv6Gateway is not null))
        {
            var network = await _networks.GetAsync(candidate.NetworkId.Value, cancellationToken).ConfigureAwait(false);
            if (network.Config.Internal)
            {
                continue;
            }

            var device = LinkRef.ByName(candidate.InterfaceName);
            if (candidate.Gateway is { } v4)
            {
                container.Rtnl.Routes.Replace(RouteSpec.DefaultVia(v4, device));
            }

            if (candidate.IPv6Gateway is { } v6)
            {
                container.Rtnl.Routes.Replace(RouteSpec.DefaultVia(v6, device));
            }

            await UpdateAsync(candidate, e => e with { DefaultRoute = true }, cancellationToken).ConfigureAwait(false);
            return;
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        try
        {
            _watch.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // The watch ends with the cancellation that stopped it.
        }

        _stopping.Dispose();
    }

    private void Apply(string containerId, NetworkId network, EndpointState? endpoint, long revision)
    {
        lock (_cacheLock)
        {
            if (_fence.TryAdvance($"{Prefix}{containerId}/{network.Value}", revision))
            {
                _endpoints = endpoint is null ? _endpoints.Remove(containerId, network) : _endpoints.Set(endpoint);
            }
        }
    }

    private static SubnetAllocation? PoolOf(INetworkDriver driver, NetworkState network, AddressFamily family) =>
        network.Subnets.FirstOrDefault(s => s.Subnet.BaseAddress.AddressFamily == family) is { } subnet ? driver.AddressPool(network, subnet) : null;

    /// <summary>Gives back what an endpoint held; best effort (a claim left behind is dropped with its network).</summary>
    private async Task ReleaseAsync(NetworkState network, string containerId, IPPrefix? v4, IPPrefix? v6)
    {
        var driver = Drivers.Of(network);
        foreach (var (prefix, family) in new[] { (v4, AddressFamily.InterNetwork), (v6, AddressFamily.InterNetworkV6) })
        {
            if (prefix is { } held && PoolOf(driver, network, family) is { } pool)
            {
                await _networks.AddressesOf(network).ReleaseAsync(network.Id, network.Name, pool, held.Address, containerId, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static BerthException AlreadyConnected(string containerName, NetworkState network) =>
        new(ErrorKind.Forbidden, $"endpoint with name {containerName} already exists in network {network.Name}");

    private static (string ContainerId, NetworkId Network)? ParseKey(string key)
    {
        var parts = key[Prefix.Length..].Split('/');
        return parts.Length == 2 && parts[1].Length == NetworkId.Length ? (parts[0], new NetworkId(parts[1])) : null;
    }

    private string NextInterfaceName(string containerId)
    {
        var taken = _endpoints.OfContainer(containerId).Select(e => e.InterfaceName).ToHashSet(StringComparer.Ordinal);
        for (int i = 0; ; i++)
        {
            string name = "eth" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!taken.Contains(name))
            {
                return name;
            }
        }
    }

    private static IPAddress? GatewayOf(NetworkState network, AddressFamily family) =>
        network.Subnets.FirstOrDefault(s => s.Subnet.BaseAddress.AddressFamily == family)?.Gateway;

    /// <summary>Docker's scheme: 02:42 followed by the IPv4 address; random (locally administered) without one.</summary>
    internal static PhysicalAddress MacFor(IPAddress? ipv4)
    {
        var bytes = new byte[6];
        if (ipv4 is not null)
        {
            bytes[0] = 0x02;
            bytes[1] = 0x42;
            ipv4.TryWriteBytes(bytes.AsSpan(2), out _);
        }
        else
        {
            RandomNumberGenerator.Fill(bytes);
            bytes[0] = (byte)((bytes[0] & 0xFE) | 0x02);
        }

        return new PhysicalAddress(bytes);
    }

    internal static string Format(PhysicalAddress mac) =>
        string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

}
