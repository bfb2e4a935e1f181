using System.Collections.Immutable;
using System.Net;
using Berth.Core.Networks;
using Berth.Core.Ports;
using Berth.Diagnostics.Topology;
using Berth.Linux.Namespaces;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;
using Berth.Network.Networks;
using Berth.Runtime.Engine;
using static Berth.Diagnostics.Tests.Topology.TopologyLab;

namespace Berth.Diagnostics.Tests.Topology;

/// <summary>The builder on one host's stubs, read through the text tree: what the guide's diagram shows, from live state.</summary>
public sealed class TopologyBuilderTests : IDisposable
{
    private const string Shim = "bsh-0123abcd";

    private readonly NetworkNamespace host = NetworkNamespace.Host();

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task A_macvlan_network_hangs_under_its_parents_lan_with_its_containers_and_host_shim_and_a_bridge_shows_its_published_port()
    {
        var lan = NetworkOf("lan", "macvlan", "10.77.0.0/24", "10.77.0.1");
        var front = NetworkOf("front", NetworkDrivers.Bridge, "172.18.0.0/16", "172.18.0.1");
        var printer = Container("printer", lan);
        var scanner = Container("scanner", lan, ContainerStatus.Exited, staticIp: "10.77.0.51");
        var web = Container("web", front, ports: [new PublishedPort(new ContainerPort(80, PortProtocol.Tcp), IPAddress.Any, 8080, IPAddress.Parse("172.18.0.2"))]);
        var sources = Sources([lan, front], [printer, scanner, web], [Endpoint(printer, lan, "10.77.0.50/24"), Endpoint(web, front, "172.18.0.2/16")]);

        var topology = await new TopologyBuilder(sources).BuildAsync();
        string text = TopologyText.Render(topology);

        Assert.Contains(
            "LAN lan0 (missing)\n" +
            "└─ macvlan lan 10.77.0.0/24 gw 10.77.0.1 (bridge mode)\n" +
            "   ├─ printer 10.77.0.50/24 running\n" +
            "   ├─ scanner 10.77.0.51 exited\n" +
            $"   └─ host shim {Shim} 10.77.0.240\n", text, StringComparison.Ordinal);
        Assert.Contains(
            "bridge front 172.18.0.0/16 gw 172.18.0.1 (br-front)\n" +
            "└─ web 172.18.0.2/16 running 0.0.0.0:8080->80/tcp\n", text, StringComparison.Ordinal);
        Assert.Contains("published ports\n└─ 0.0.0.0:8080/tcp → web 172.18.0.2:80 (via front)\n", text, StringComparison.Ordinal);
        Assert.Empty(topology.Notes);

        // The interfaces the networks name are looked up in the host's namespace: the parent is not there, so it is missing.
        var parent = Assert.Single(topology.Interfaces, i => i.Name == "lan0");
        Assert.Equal("missing", parent.State);
        Assert.Equal([TopologyRoles.Parent], parent.Roles.ToArray());
        var printerHere = Assert.Single(topology.Networks.Single(n => n.Name == "lan").Containers, c => c.Name == "printer");
        Assert.Equal("02:42:0a:4d:00:32", printerHere.MacAddress);
    }

    [Fact]
    public async Task A_part_that_fails_to_load_becomes_a_note_and_the_rest_is_still_drawn()
    {
        var lan = NetworkOf("lan", "macvlan", "10.77.0.0/24", "10.77.0.1");
        var broken = NetworkOf("broken", "flaky", "10.99.0.0/24", "10.99.0.1");
        var sources = Sources([lan, broken], [], []);

        var topology = await new TopologyBuilder(sources).BuildAsync();

        Assert.Equal(["the driver's view of network broken could not be read: the driver's state is corrupt"], topology.Notes.ToArray());
        string text = TopologyText.Render(topology);
        Assert.Contains("└─ macvlan lan 10.77.0.0/24 gw 10.77.0.1 (bridge mode)\n", text, StringComparison.Ordinal);
        Assert.Contains("flaky broken 10.99.0.0/24 gw 10.99.0.1\n", text, StringComparison.Ordinal);
        Assert.EndsWith("notes\n└─ the driver's view of network broken could not be read: the driver's state is corrupt\n", text, StringComparison.Ordinal);

        var healthy = Sources([], [], []);
        var noStore = await new TopologyBuilder(new DiagnosticSources
        {
            Networks = new ThrowingNetworks(),
            Containers = healthy.Containers,
            Host = healthy.Host,
            Drivers = healthy.Drivers,
        }).BuildAsync();
        Assert.Equal(["the networks could not be read: the store is not open"], noStore.Notes.ToArray());
    }

    private DiagnosticSources Sources(NetworkState[] networks, IReadOnlyList<ContainerRecord> containers, IReadOnlyList<EndpointState> endpoints) => new()
    {
        Networks = new StubNetworks(networks),
        Containers = new StubContainers(containers, endpoints),
        Host = host,
        Drivers = Drivers(),
    };

    /// <summary>macvlan on <c>lan0</c> with a host shim, bridges on <c>br-NAME</c>, overlays with a VNI, and one driver whose Describe fails.</summary>
    internal static NetworkDriverRegistry Drivers() => new(
    [
        new DescribedDriver("macvlan", _ => new NetworkHostView
        {
            Parent = "lan0", Mode = "bridge", HostShim = Shim, HostShimAddresses = [IPAddress.Parse("10.77.0.240")], HostReachesContainers = true,
        }),
        new DescribedDriver(NetworkDrivers.Bridge, n => new NetworkHostView { Bridge = "br-" + n.Name, HostReachesContainers = true }),
        new DescribedDriver("overlay", _ => new NetworkHostView { Sandbox = "ov-test", Vni = 4097 }, NetworkDriverScope.Swarm),
        new DescribedDriver("flaky", _ => throw new InvalidOperationException("the driver's state is corrupt")),
    ]);

    private sealed class ThrowingNetworks : INetworkService
    {
        public Task<IReadOnlyList<NetworkState>> ListAsync(CancellationToken cancellationToken = default) => throw new IOException("the store is not open");

        public Task<NetworkState> GetAsync(string idOrName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<NetworkState> CreateAsync(NetworkConfig config, bool checkDuplicate = true, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task DeleteAsync(string idOrName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<NetworkState>> PruneAsync(Func<NetworkState, bool> predicate, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
