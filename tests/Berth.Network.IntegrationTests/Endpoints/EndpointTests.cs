using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;
using Berth.Network.Firewall;
using Berth.Network.Ipam;
using Berth.Network.Networks;
using Berth.Network.Persistence;
using Berth.Store;

namespace Berth.Network.IntegrationTests.Endpoints;

/// <summary>
/// Containers' interfaces made by the network drivers inside namespaces Berth made, in a lab
/// "docker host" (eth0 on a LAN beside another LAN machine), with the real network manager.
/// </summary>
public sealed class EndpointTests : LabTest
{
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(5);

    [RootFact]
    public async Task ContainersOnOneBridgeNetworkPingEachOther()
    {
        await using var world = await World.BuildAsync(this);
        var network = await world.Networks.CreateAsync(new NetworkConfig { Name = "appnet", Ipam = Subnet("10.120.0.0/24") });
        using var c1 = NetworkNamespace.Create(Manager, "c1");
        using var c2 = NetworkNamespace.Create(Manager, "c2");

        var e1 = await world.Endpoints.AttachAsync("c1id", "c1", c1, new EndpointRequest { Network = "appnet" });
        var e2 = await world.Endpoints.AttachAsync("c2id", "c2", c2, new EndpointRequest { Network = "appnet" });

        Assert.Equal("10.120.0.2/24", e1.IPv4.ToString());
        Assert.Equal("10.120.0.3/24", e2.IPv4.ToString());
        Assert.Equal("02:42:0a:78:00:02", e1.MacAddress);
        Assert.True(InNetns.PingWithin(c1.Handle.Path, "10.120.0.3", Up), "c1 cannot ping c2 on one bridge network");
        Assert.True(InNetns.Ping(c2.Handle.Path, "10.120.0.1"), "c2 cannot ping its gateway");
        string eth0 = InNetns.Ip(c1.Handle.Path, "-o", "link", "show", "eth0");
        Assert.Contains("02:42:0a:78:00:02", eth0, StringComparison.Ordinal);
        Assert.Contains("default via 10.120.0.1 dev eth0", InNetns.Ip(c1.Handle.Path, "route"), StringComparison.Ordinal);
        Assert.Contains($"master br-{network.Id.Short}", world.HostLab.Ip("-o", "link", "show", e1.HostInterface!), StringComparison.Ordinal);

        // Docker's refusals.
        var twice = await Assert.ThrowsAsync<BerthException>(() => world.Endpoints.AttachAsync("c1id", "c1", c1, new EndpointRequest { Network = "appnet" }));
        Assert.Equal(ErrorKind.Forbidden, twice.Kind);
        Assert.Equal("endpoint with name c1 already exists in network appnet", twice.Message);
        var inUse = await Assert.ThrowsAsync<BerthException>(() => world.Networks.DeleteAsync("appnet"));
        Assert.Contains("has active endpoints", inUse.Message, StringComparison.Ordinal);

        // Disconnect: the interface goes, the address comes back to the pool.
        await world.Endpoints.DetachAsync("c2id", "c2", c2, "appnet");
        Assert.False(InNetns.Run(c2.Handle.Path, "ip", "link", "show", "eth0").Succeeded);
        Assert.False(InNetns.Ping(c1.Handle.Path, "10.120.0.3"));
        var missing = await Assert.ThrowsAsync<BerthException>(() => world.Endpoints.DetachAsync("c2id", "c2", c2, "appnet"));
        Assert.Equal("container c2 is not connected to network appnet", missing.Message);
        Assert.Equal(ErrorKind.NotFound, missing.Kind);

        await world.Endpoints.DetachAsync("c1id", "c1", c1, "appnet");
        await world.Networks.DeleteAsync("appnet");
        Close(c1, c2);
    }

    [RootFact]
    public async Task ThePrinterOnMacvlanAnswersTheLan()
    {
        // The guide: docker network create -d macvlan --subnet=192.168.1.0/24 --gateway=192.168.1.1 -o parent=eth0 my-macvlan
        //            docker run -d --name printer --network my-macvlan --ip 192.168.1.50 …
        await using var world = await World.BuildAsync(this);
        await world.Networks.CreateAsync(new NetworkConfig
        {
            Name = "my-macvlan",
            Driver = NetworkDrivers.Macvlan,
            Options = ImmutableDictionary<string, string>.Empty.Add("parent", "eth0"),
            Ipam = Subnet("192.168.1.0/24", "192.168.1.1"),
        });
        using var printer = NetworkNamespace.Create(Manager, "printer");
        var endpoint = await world.Endpoints.AttachAsync("printerid", "printer", printer,
            new EndpointRequest { Network = "my-macvlan", IPv4Address = IPAddress.Parse("192.168.1.50") });

        Assert.Equal("192.168.1.50/24", endpoint.IPv4.ToString());
        Assert.True(world.LanPeer.PingWithin("192.168.1.50", Up), "a LAN machine cannot reach the printer at 192.168.1.50");
        Assert.Contains("macvlan", InNetns.Ip(printer.Handle.Path, "-d", "link", "show", "eth0"), StringComparison.Ordinal);

        // The address is taken now; a second container asking for it is refused.
        using var other = NetworkNamespace.Create(Manager, "other");
        var taken = await Assert.ThrowsAsync<BerthException>(() => world.Endpoints.AttachAsync("otherid", "other", other,
            new EndpointRequest { Network = "my-macvlan", IPv4Address = IPAddress.Parse("192.168.1.50") }));
        Assert.Contains("Address already in use", taken.Message, StringComparison.Ordinal);
        Assert.False(InNetns.Run(other.Handle.Path, "ip", "link", "show", "eth0").Succeeded, "a refused attach left an interface behind");

        await world.Endpoints.DetachAsync("printerid", "printer", printer, "my-macvlan");
        Close(printer, other);
    }

    [RootFact]
    public async Task AStaticAddressNeedsAUserSubnetAndAddressesSurviveARestart()
    {
        var store = new InMemoryStateStore();
        await using (var world = await World.BuildAsync(this, store))
        {
            await world.Networks.CreateAsync(new NetworkConfig { Name = "picked" });
            using var c = NetworkNamespace.Create(Manager, "c");
            var refused = await Assert.ThrowsAsync<BerthException>(() => world.Endpoints.AttachAsync("cid", "c", c,
                new EndpointRequest { Network = "picked", IPv4Address = IPAddress.Parse("172.18.0.9") }));
            Assert.Equal(ErrorKind.InvalidArgument, refused.Kind);
            Assert.Equal("user specified IP address is supported only when connecting to networks with user configured subnets", refused.Message);

            var first = await world.Endpoints.AttachAsync("cid", "c", c, new EndpointRequest { Network = "picked" });
            Assert.Equal("172.18.0.2/16", first.IPv4.ToString());
            Close(c);
        }

        // A new daemon over the same state: the address of the stored endpoint is not handed out again.
        await using (var world = await World.BuildAsync(this, store))
        {
            using var d = NetworkNamespace.Create(Manager, "d");
            var second = await world.Endpoints.AttachAsync("did", "d", d, new EndpointRequest { Network = "picked" });
            Assert.Equal("172.18.0.3/16", second.IPv4.ToString());
            Close(d);
        }
    }

    private LabHost? dockerHost;
    private LabHost? lanPeer;

    /// <summary>The lab, made once per test: a docker host and a LAN machine on one LAN.</summary>
    private (LabHost DockerHost, LabHost LanPeer) EnsureLab()
    {
        if (dockerHost is null)
        {
            var lab = NewLab();
            var lan = lab.AddLan("lan");
            dockerHost = lab.AddHost("dh");
            lanPeer = lab.AddHost("peer");
            lab.Connect(dockerHost, lan, "eth0", "192.168.1.10/24");
            lab.Connect(lanPeer, lan, "eth0", "192.168.1.20/24");
        }

        return (dockerHost, lanPeer!);
    }

    private static IpamRequest Subnet(string subnet, string? gateway = null) =>
        new() { Config = [new IpamPoolRequest { Subnet = subnet, Gateway = gateway }] };

    private void Close(params NetworkNamespace[] namespaces)
    {
        foreach (var ns in namespaces)
        {
            ns.Dispose();
            Manager.Delete(ns.Name!);
        }
    }

    /// <summary>A lab docker host with berthd's network stack (store, firewall, drivers, managers) inside it.</summary>
    private sealed class World : IAsyncDisposable
    {
        private NetworkNamespace _host = null!;
        private LinkReaper _reaper = null!;

        public LabHost HostLab { get; private set; } = null!;

        public LabHost LanPeer { get; private set; } = null!;

        public NetworkManager Networks { get; private set; } = null!;

        public EndpointManager Endpoints { get; private set; } = null!;

        public static async Task<World> BuildAsync(EndpointTests test, IStateStore? store = null)
        {
            var world = new World();
            (world.HostLab, world.LanPeer) = test.EnsureLab();
            world._host = NetworkNamespace.OpenPath(world.HostLab.NetnsPath);
            var firewall = new NftablesNetworkFirewall(world._host.Nft);
            firewall.Initialize();
            world._reaper = new LinkReaper(world._host);
            var bridge = new BridgeDriver(world._host, firewall, world._reaper);
            var macvlan = new MacvlanDriver(world._host, world._reaper);
            store ??= new InMemoryStateStore();
            world.Networks = new NetworkManager(new NetworkRepository(store), new NetworkIpam(),
                new NetworkDriverRegistry([bridge, macvlan, new FixedNetworkDriver(NetworkDrivers.Host), new FixedNetworkDriver(NetworkDrivers.Null)]), world._host);
            await world.Networks.StartAsync();
            world.Endpoints = new EndpointManager(world.Networks, store);
            await world.Endpoints.RestoreAsync();
            return world;
        }

        public async ValueTask DisposeAsync()
        {
            Endpoints.Dispose();
            Networks.Dispose();
            await _reaper.DisposeAsync();
            _host.Dispose();
        }
    }
}
