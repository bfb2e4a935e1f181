using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Routes;
using Berth.Network.Drivers;
using Berth.Network.Ipam;
using Berth.Network.Networks;
using Berth.Network.Persistence;
using Berth.Store;

namespace Berth.Network.Endpoints;

/// <summary>
/// Containers' attachments to networks: addresses allocated exactly once (per network, restored
/// from the store after a restart), interfaces made by the network's driver inside the container's
/// namespace, the record kept under <c>endpoints/&lt;container&gt;/&lt;network&gt;</c>.
/// </summary>
public sealed class EndpointManager : IDisposable
{
    private const string Prefix = "endpoints/";

    private readonly NetworkManager _networks;
    private readonly IStateStore _store;
    private readonly IReadOnlyDictionary<string, IEndpointDriver> _drivers;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<NetworkId, NetworkAllocators> _allocators = [];
    private EndpointTable _endpoints = EndpointTable.Empty;

    public EndpointManager(NetworkManager networks, IStateStore store, IEnumerable<IEndpointDriver> drivers)
    {
        _networks = networks;
        _store = store;
        _drivers = drivers.ToDictionary(d => d.Name, StringComparer.Ordinal);
        networks.IsInUse = HasEndpoints;
    }

    /// <summary>Loads stored endpoints and reserves their addresses, so none is handed out twice after a restart.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var loaded = new List<EndpointState>();
            foreach (var entry in await _store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
            {
                var endpoint = JsonSerializer.Deserialize(entry.Value.Span, EndpointStateJsonContext.Default.EndpointState)!;
                var network = (await _networks.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(n => n.Id == endpoint.NetworkId);
                if (network is null)
                {
                    await _store.DeleteAsync(entry.Key, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var allocators = AllocatorsFor(network);
                if (endpoint.IPv4 is { } v4)
                {
                    allocators.V4?.Reserve(v4.Address);
                }

                if (endpoint.IPv6 is { } v6)
                {
                    allocators.V6?.Reserve(v6.Address);
                }

                loaded.Add(endpoint);
            }

            _endpoints = EndpointTable.Of(loaded);
        }
        finally
        {
            _gate.Release();
        }
    }

    public IReadOnlyList<EndpointState> OfContainer(string containerId) => _endpoints.OfContainer(containerId);

    public IReadOnlyList<EndpointState> OfNetwork(NetworkId network) => [.. _endpoints.Where(e => e.NetworkId == network)];

    /// <summary>A network by id, name or unique id prefix (NotFound: <c>network X not found</c>).</summary>
    public Task<NetworkState> FindNetworkAsync(string idOrName, CancellationToken cancellationToken = default) =>
        _networks.GetAsync(idOrName, cancellationToken);

    public bool HasEndpoints(NetworkId network) => _endpoints.Any(e => e.NetworkId == network);

    /// <summary>
    /// Connects a container (its namespace already made) to a network. Docker's errors: a second
    /// endpoint on one network is 403; a fixed address on a network whose subnet the daemon chose is 400.
    /// </summary>
    public async Task<EndpointState> AttachAsync(string containerId, string containerName, NetworkNamespace container, EndpointRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var network = await _networks.GetAsync(request.Network, cancellationToken).ConfigureAwait(false);
            if (!_drivers.TryGetValue(network.Driver, out var driver))
            {
                throw new BerthException(ErrorKind.InvalidArgument,
                    $"container {containerName} cannot be connected to network {network.Name}: the {network.Driver} driver gives containers no interface of their own");
            }

            if (_endpoints.Find(containerId, network.Id) is not null)
            {
                throw new BerthException(ErrorKind.Forbidden, $"endpoint with name {containerName} already exists in network {network.Name}");
            }

            if ((request.IPv4Address is not null || request.IPv6Address is not null) && !network.Subnets.Any(s => s.Requested))
            {
                throw new BerthException(ErrorKind.InvalidArgument, "user specified IP address is supported only when connecting to networks with user configured subnets");
            }

            var allocators = AllocatorsFor(network);
            IPPrefix? v4 = null, v6 = null;
            try
            {
                if (allocators.V4 is { } a4)
                {
                    v4 = new IPPrefix(a4.Allocate(request.IPv4Address ?? FreeOrNull(a4, request.PreferredIPv4Address)), a4.Subnet.PrefixLength);
                }
                else if (request.IPv4Address is not null)
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"network {network.Name} has no IPv4 subnet for {request.IPv4Address}");
                }

                if (allocators.V6 is { } a6 && (network.Config.EnableIPv6 || request.IPv6Address is not null))
                {
                    v6 = new IPPrefix(a6.Allocate(request.IPv6Address ?? FreeOrNull(a6, request.PreferredIPv6Address)), a6.Subnet.PrefixLength);
                }

                var endpoint = new EndpointState
                {
                    EndpointId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                    ContainerId = containerId,
                    NetworkId = network.Id,
                    InterfaceName = NextInterfaceName(containerId),
                    IPv4 = v4,
                    IPv6 = v6,
                    Gateway = v4 is null ? null : GatewayOf(network, AddressFamily.InterNetwork),
                    IPv6Gateway = v6 is null ? null : GatewayOf(network, AddressFamily.InterNetworkV6),
                    MacAddress = Format(request.MacAddress ?? MacFor(v4?.Address)),
                    HostInterface = network.Driver == NetworkDrivers.Bridge ? "veth" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))[..7] : null,
                    DefaultRoute = request.DefaultRoute,
                    StaticAddress = request.IPv4Address is not null || request.IPv6Address is not null,
                    Aliases = request.Aliases,
                    Links = request.Links,
                };

                driver.Join(network, endpoint, container);
                await _store.PutAsync(Key(endpoint), JsonSerializer.SerializeToUtf8Bytes(endpoint, EndpointStateJsonContext.Default.EndpointState), cancellationToken).ConfigureAwait(false);
                _endpoints = _endpoints.Add(endpoint);
                return endpoint;
            }
            catch
            {
                Release(allocators, v4, v6);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Disconnects a container from a network. Not connected: Docker's 500 <c>container X is not connected to network Y</c>.</summary>
    public async Task DetachAsync(string containerId, string containerName, NetworkNamespace? container, string networkIdOrName, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var network = await _networks.GetAsync(networkIdOrName, cancellationToken).ConfigureAwait(false);
            var endpoint = _endpoints.Find(containerId, network.Id)
                ?? throw new BerthException(ErrorKind.Internal, $"container {containerName} is not connected to network {network.Name}");
            if (container is not null && _drivers.TryGetValue(network.Driver, out var driver))
            {
                driver.Leave(network, endpoint, container);
            }

            await _store.DeleteAsync(Key(endpoint), cancellationToken).ConfigureAwait(false);
            _endpoints = _endpoints.Remove(endpoint);
            Release(AllocatorsFor(network), endpoint.IPv4, endpoint.IPv6);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// After a disconnect took a running container's default route with it: the route goes to its next endpoint
    /// with a gateway on a network that is not internal (Docker moves the sandbox's gateway the same way).
    /// </summary>
    public async Task PromoteDefaultRouteAsync(string containerId, NetworkNamespace container, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
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

                var promoted = candidate with { DefaultRoute = true };
                await _store.PutAsync(Key(promoted), JsonSerializer.SerializeToUtf8Bytes(promoted, EndpointStateJsonContext.Default.EndpointState), cancellationToken).ConfigureAwait(false);
                _endpoints = _endpoints.Replace(candidate, promoted);
                return;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private NetworkAllocators AllocatorsFor(NetworkState network)
    {
        if (!_allocators.TryGetValue(network.Id, out var allocators))
        {
            var v4 = network.Subnets.FirstOrDefault(s => s.Subnet.BaseAddress.AddressFamily == AddressFamily.InterNetwork);
            var v6 = network.Subnets.FirstOrDefault(s => s.Subnet.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6);
            allocators = new NetworkAllocators(
                v4 is null ? null : new AddressAllocator(network.Name, MacvlanHostShim.Reserving(network, v4)),
                v6 is null ? null : new AddressAllocator(network.Name, MacvlanHostShim.Reserving(network, v6)));
            _allocators[network.Id] = allocators;
        }

        return allocators;
    }

    private static IPAddress? FreeOrNull(AddressAllocator allocator, IPAddress? preferred) =>
        preferred is not null && preferred.AddressFamily == allocator.Subnet.BaseAddress.AddressFamily
            && IPNetworkMath.Contains(allocator.Subnet, preferred) && !allocator.IsInUse(preferred) ? preferred : null;

    private static void Release(NetworkAllocators allocators, IPPrefix? v4, IPPrefix? v6)
    {
        if (v4 is { } a)
        {
            allocators.V4?.Release(a.Address);
        }

        if (v6 is { } b)
        {
            allocators.V6?.Release(b.Address);
        }
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

    private static string Key(EndpointState endpoint) => $"{Prefix}{endpoint.ContainerId}/{endpoint.NetworkId.Value}";

    private sealed record NetworkAllocators(AddressAllocator? V4, AddressAllocator? V6);
}
