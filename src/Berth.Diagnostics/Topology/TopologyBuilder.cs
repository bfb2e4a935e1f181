using System.Collections.Immutable;
using System.Globalization;
using Berth.Core.Networks;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;
using Berth.Runtime.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Diagnostics.Topology;

/// <summary>
/// Takes a <see cref="HostTopology"/> from the live state: the store's networks and containers, the drivers' view of
/// each network, the host's links, addresses and routes and, on a manager, the swarm. Read-only and tolerant: a part
/// that fails to load (the kernel, the cluster) is left out and named in <see cref="HostTopology.Notes"/>, so a half
/// broken host still gets its picture; only cancellation propagates.
/// </summary>
public sealed partial class TopologyBuilder(DiagnosticSources sources, ILogger<TopologyBuilder>? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger<TopologyBuilder>.Instance;

    public async Task<HostTopology> BuildAsync(CancellationToken cancellationToken = default)
    {
        var notes = new List<string>();
        var networks = await LoadAsync("the networks", notes, async () => await sources.Networks.ListAsync(cancellationToken).ConfigureAwait(false), []).ConfigureAwait(false);
        var containers = await LoadAsync("the containers", notes, () => Task.FromResult(sources.Containers.List()), []).ConfigureAwait(false);
        var shown = networks.Where(n => !n.Config.ConfigOnly).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();

        var topologyNetworks = new List<TopologyNetwork>(shown.Count);
        var ports = new List<TopologyPort>();
        foreach (var network in shown)
        {
            var view = await LoadAsync($"the driver's view of network {network.Name}", notes, () => Task.FromResult(sources.Drivers.Describe(network)), NetworkHostView.None).ConfigureAwait(false);
            var endpoints = await LoadAsync<IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)>>(
                $"the endpoints on network {network.Name}", notes, () => Task.FromResult(sources.Containers.EndpointsOn(network.Id)), []).ConfigureAwait(false);
            var onNetwork = ContainersOn(network, endpoints, containers, ports);
            topologyNetworks.Add(Describe(network, view) with
            {
                Containers = onNetwork,
                Peers = sources.Drivers.CapabilitiesOf(network).Scope == NetworkDriverScope.Swarm && sources.NetworkPeers is { } peers
                    ? await LoadAsync($"the nodes on network {network.Name}", notes, () => Task.FromResult<ImmutableArray<TopologyPeer>>([.. peers(network).Select(p => new TopologyPeer(p.Name, p.Address))]), []).ConfigureAwait(false)
                    : [],
            });
        }

        var interfaces = await LoadAsync("the host's interfaces", notes, () => Task.FromResult(HostInterfaces(topologyNetworks)), []).ConfigureAwait(false);
        var swarm = await SwarmAsync(topologyNetworks, notes, cancellationToken).ConfigureAwait(false);
        ports.AddRange(swarm.Ports);
        return new HostTopology
        {
            HostName = Environment.MachineName,
            Taken = DateTimeOffset.UtcNow,
            Interfaces = interfaces,
            Networks = swarm.Networks,
            Ports = [.. ports.OrderBy(p => p.HostPort).ThenBy(p => p.Protocol, StringComparer.Ordinal).ThenBy(p => p.HostAddress, StringComparer.Ordinal)],
            Nodes = swarm.Nodes,
            Notes = [.. notes],
        };
    }

    private static TopologyNetwork Describe(NetworkState network, NetworkHostView view) => new()
    {
        Name = network.Name,
        Id = network.Id.Value,
        Driver = string.IsNullOrEmpty(network.Driver) ? NetworkDrivers.Bridge : network.Driver,
        Scope = network.Config.Scope,
        Internal = network.Config.Internal,
        Ingress = network.Config.Ingress,
        Subnets = [.. network.Subnets.Select(s => s.Subnet.ToString())],
        Gateways = [.. network.Subnets.Where(s => s.Gateway is not null).Select(s => s.Gateway!.ToString())],
        Bridge = view.Bridge,
        Parent = view.Parent,
        ParentMadeByBerth = view.ParentMadeByBerth,
        Mode = view.Mode,
        HostShim = view.HostShim,
        HostShimAddresses = [.. view.HostShimAddresses.Select(a => a.ToString())],
        HostReachesContainers = view.HostReachesContainers,
        Mtu = view.Mtu,
        Sandbox = view.Sandbox,
        Vni = view.Vni,
    };

    /// <summary>
    /// The running containers with their endpoint here, then the others configured for the network (stopped, or not
    /// started yet) with the static address they asked for, if any. Ports published to a container's address here are
    /// added to <paramref name="ports"/>.
    /// </summary>
    private static ImmutableArray<TopologyContainer> ContainersOn(NetworkState network, IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> endpoints,
        IReadOnlyList<ContainerRecord> containers, List<TopologyPort> ports)
    {
        var result = new List<TopologyContainer>();
        foreach (var (container, endpoint) in endpoints.Where(e => !e.Endpoint.NodeEntry))
        {
            var published = container.Ports.Where(p => p.ContainerAddress.Equals(endpoint.IPv4?.Address) || p.ContainerAddress.Equals(endpoint.IPv6?.Address)).ToList();
            ports.AddRange(published.Select(p => new TopologyPort(container.Name, p.HostIp.ToString(), p.HostPort, p.Port.ProtocolName,
                $"{Address(p.ContainerAddress)}:{p.Port.Number.ToString(CultureInfo.InvariantCulture)}", network.Name)));
            result.Add(new TopologyContainer(container.Name, container.ShortId, StateOf(container),
                [.. new[] { endpoint.IPv4?.ToString(), endpoint.IPv6?.ToString() }.OfType<string>()], endpoint.MacAddress, [.. published.Select(p => p.ToString())])
            {
                Service = endpoint.ServiceId,
            });
        }

        var running = endpoints.Select(e => e.Container.Id).ToHashSet();
        foreach (var container in containers.Where(c => !running.Contains(c.Id)))
        {
            var spec = container.EffectiveEndpoints().FirstOrDefault(e => e.Network == network.Name || e.Network == network.Id.Value);
            if (spec is not null)
            {
                result.Add(new TopologyContainer(container.Name, container.ShortId, StateOf(container),
                    [.. new[] { spec.IPv4Address, spec.IPv6Address }.OfType<string>()], spec.MacAddress, []) { Service = spec.ServiceId });
            }
        }

        return [.. result.OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    private static string Address(System.Net.IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    private static string StateOf(ContainerRecord container) => container.Paused ? "paused" : container.Status.ToString().ToLowerInvariant();

    /// <summary>Runs one read; a failure becomes a note and <paramref name="fallback"/>, never the whole topology's failure.</summary>
    private async Task<T> LoadAsync<T>(string what, List<string> notes, Func<Task<T>> load, T fallback)
    {
        try
        {
            return await load().ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            TopologyLog.PartFailed(logger, what, error);
            notes.Add($"{what} could not be read: {error.Message}");
            return fallback;
        }
    }
}
