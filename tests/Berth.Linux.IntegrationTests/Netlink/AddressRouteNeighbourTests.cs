using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Linux.Addresses;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Neighbours;
using Berth.Linux.Routes;

namespace Berth.Linux.IntegrationTests.Netlink;

public sealed class AddressRouteNeighbourTests : LabTest
{
    [RootFact]
    public void Ipv4AndIpv6AddressesAreAddedListedAndDeleted()
    {
        using var ns = NetworkNamespace.Create(Manager, "addrs");
        ns.Links.Create(new BridgeSpec("br0") { Up = true });
        ns.Rtnl.Addresses.Add("br0", IPPrefix.Parse("10.93.0.1/24"));
        ns.Rtnl.Addresses.Add("br0", IPPrefix.Parse("fd00:93::1/64"), AddressFlags.NoDad);

        var listed = ns.Rtnl.Addresses.List("br0");
        Assert.Contains(listed, a => a.Address == IPPrefix.Parse("10.93.0.1/24"));
        Assert.Contains(listed, a => a.Address == IPPrefix.Parse("fd00:93::1/64") && !a.Flags.HasFlag(AddressFlags.Tentative));
        Assert.All(ns.Rtnl.Addresses.List("br0", AddressFamily.InterNetworkV6), a => Assert.True(a.Address.Family == AddressFamily.InterNetworkV6));
        string oracle = InNetns.Ip(ns.Handle.Path, "addr", "show", "dev", "br0");
        Assert.Contains("inet 10.93.0.1/24 brd 10.93.0.255", oracle, StringComparison.Ordinal);
        Assert.Contains("inet6 fd00:93::1/64", oracle, StringComparison.Ordinal);

        var e = Assert.Throws<KernelException>(() => ns.Rtnl.Addresses.Add("br0", IPPrefix.Parse("10.93.0.1/24")));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.StartsWith("address 10.93.0.1/24 is already on link \"br0\"", e.Message, StringComparison.Ordinal);

        ns.Rtnl.Addresses.Delete("br0", IPPrefix.Parse("10.93.0.1/24"));
        ns.Rtnl.Addresses.Delete("br0", IPPrefix.Parse("fd00:93::1/64"));
        Assert.DoesNotContain(ns.Rtnl.Addresses.List("br0"), a => a.Address.Address.Equals(IPAddress.Parse("10.93.0.1")));
        e = Assert.Throws<KernelException>(() => ns.Rtnl.Addresses.Delete("br0", IPPrefix.Parse("10.93.0.1/24")));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Close(ns);
    }

    [RootFact]
    public void RoutesViaGatewayOnLinkAndInOtherTables()
    {
        using var ns = NetworkNamespace.Create(Manager, "routes");
        ns.Links.Create(new BridgeSpec("br0") { Up = true });
        ns.Rtnl.Addresses.Add("br0", IPPrefix.Parse("10.94.0.1/24"));

        ns.Rtnl.Routes.Add(new RouteSpec { Destination = IPNetwork.Parse("10.95.0.0/16"), Gateway = IPAddress.Parse("10.94.0.254") });
        ns.Rtnl.Routes.Add(new RouteSpec { Gateway = IPAddress.Parse("192.0.2.1"), Device = "br0", OnLink = true });
        ns.Rtnl.Routes.Add(new RouteSpec { Destination = IPNetwork.Parse("10.96.0.0/16"), Device = "br0", Table = 100, Metric = 5 });
        ns.Rtnl.Routes.Add(new RouteSpec { Destination = IPNetwork.Parse("10.97.0.0/16"), Type = RouteType.Blackhole });

        var main = ns.Rtnl.Routes.List();
        Assert.Contains(main, r => r.Destination == IPNetwork.Parse("10.95.0.0/16") && Equals(r.Gateway, IPAddress.Parse("10.94.0.254")));
        Assert.Contains(main, r => r.Destination is null && r.OnLink && Equals(r.Gateway, IPAddress.Parse("192.0.2.1")));
        Assert.Contains(main, r => r.Type == RouteType.Blackhole);
        var table100 = Assert.Single(ns.Rtnl.Routes.List(table: 100));
        Assert.Equal(5, table100.Metric);
        Assert.Equal(ns.Links.Get("br0").Index, table100.OutputInterface);
        Assert.Contains("default via 192.0.2.1 dev br0 onlink", InNetns.Ip(ns.Handle.Path, "route"), StringComparison.Ordinal);
        Assert.Contains("10.96.0.0/16 dev br0", InNetns.Ip(ns.Handle.Path, "route", "show", "table", "100"), StringComparison.Ordinal);

        var e = Assert.Throws<KernelException>(() => ns.Rtnl.Routes.Add(new RouteSpec { Destination = IPNetwork.Parse("10.98.0.0/16"), Gateway = IPAddress.Parse("10.99.0.1") }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("not on any directly connected subnet", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<KernelException>(() => ns.Rtnl.Routes.Add(new RouteSpec { Destination = IPNetwork.Parse("10.95.0.0/16"), Gateway = IPAddress.Parse("10.94.0.254") }));
        Assert.Equal(ErrorKind.Conflict, e.Kind);

        ns.Rtnl.Routes.Replace(new RouteSpec { Destination = IPNetwork.Parse("10.95.0.0/16"), Gateway = IPAddress.Parse("10.94.0.253") });
        Assert.Contains(ns.Rtnl.Routes.List(), r => r.Destination == IPNetwork.Parse("10.95.0.0/16") && Equals(r.Gateway, IPAddress.Parse("10.94.0.253")));
        ns.Rtnl.Routes.Delete(new RouteSpec { Destination = IPNetwork.Parse("10.95.0.0/16") });
        ns.Rtnl.Routes.Delete(new RouteSpec { Destination = IPNetwork.Parse("10.96.0.0/16"), Table = 100 });
        Assert.DoesNotContain(ns.Rtnl.Routes.List(), r => r.Destination == IPNetwork.Parse("10.95.0.0/16"));
        Assert.Empty(ns.Rtnl.Routes.List(table: 100));
        e = Assert.Throws<KernelException>(() => ns.Rtnl.Routes.Delete(new RouteSpec { Destination = IPNetwork.Parse("10.95.0.0/16") }));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Close(ns);
    }

    [RootFact]
    public void StaticNeighboursAreProgrammed()
    {
        using var ns = NetworkNamespace.Create(Manager, "neigh");
        ns.Links.Create(new BridgeSpec("br0") { Up = true });
        ns.Rtnl.Addresses.Add("br0", IPPrefix.Parse("10.94.0.1/24"));
        ns.Rtnl.Addresses.Add("br0", IPPrefix.Parse("fd00:94::1/64"), AddressFlags.NoDad);
        var mac = PhysicalAddress.Parse("02-42-0A-5E-00-07");

        ns.Rtnl.Neighbours.SetStatic("br0", IPAddress.Parse("10.94.0.7"), mac);
        ns.Rtnl.Neighbours.SetStatic("br0", IPAddress.Parse("fd00:94::7"), mac);

        var entries = ns.Rtnl.Neighbours.List("br0");
        Assert.Contains(entries, n => n.Address.Equals(IPAddress.Parse("10.94.0.7")) && Equals(n.MacAddress, mac) && n.State == NeighbourState.Permanent);
        Assert.Contains(entries, n => n.Address.Equals(IPAddress.Parse("fd00:94::7")) && n.State == NeighbourState.Permanent);
        Assert.Contains("10.94.0.7 dev br0 lladdr 02:42:0a:5e:00:07 PERMANENT", InNetns.Ip(ns.Handle.Path, "neigh", "show"), StringComparison.Ordinal);

        ns.Rtnl.Neighbours.Delete("br0", IPAddress.Parse("10.94.0.7"));
        Assert.DoesNotContain(ns.Rtnl.Neighbours.List("br0", AddressFamily.InterNetwork), n => n.Address.Equals(IPAddress.Parse("10.94.0.7")));
        var e = Assert.Throws<KernelException>(() => ns.Rtnl.Neighbours.Delete("br0", IPAddress.Parse("10.94.0.7")));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Close(ns);
    }

    [RootFact]
    public void BridgePortFdbEntriesAreProgrammed()
    {
        using var ns = NetworkNamespace.Create(Manager, "fdb");
        ns.Links.Create(new BridgeSpec("br0") { Up = true });
        ns.Links.Create(new VethSpec("p0", "p1") { Master = "br0", Up = true });
        var mac = PhysicalAddress.Parse("02-42-0A-5E-00-08");

        ns.Rtnl.Fdb.Set("p0", mac, flags: NeighbourFlags.Master);

        Assert.Contains(ns.Rtnl.Fdb.List("p0"), e => e.MacAddress.Equals(mac) && e.State.HasFlag(NeighbourState.Permanent));
        Assert.Contains("02:42:0a:5e:00:08 master br0 permanent",
            Cmd.Check("nsenter", $"--net={ns.Handle.Path}", "bridge", "fdb", "show", "dev", "p0"), StringComparison.Ordinal);
        ns.Rtnl.Fdb.Delete("p0", mac, flags: NeighbourFlags.Master);
        Assert.DoesNotContain(ns.Rtnl.Fdb.List("p0"), e => e.MacAddress.Equals(mac));
        Close(ns);
    }

    [RootFact]
    public void AStaticBridgeEntryForwardsWhereAPermanentOneIsLocal()
    {
        using var ns = NetworkNamespace.Create(Manager, "fdbstatic");
        ns.Links.Create(new BridgeSpec("br0") { Up = true });
        ns.Links.Create(new VethSpec("p0", "p1") { Master = "br0", Up = true });
        var mac = PhysicalAddress.Parse("02-42-0A-5E-00-09");

        ns.Rtnl.Fdb.Set("p0", mac, flags: NeighbourFlags.Master, state: NeighbourState.NoArp);

        var entry = Assert.Single(ns.Rtnl.Fdb.List("p0"), e => e.MacAddress.Equals(mac));
        Assert.Equal(NeighbourState.NoArp, entry.State);
        Assert.Equal(ns.Links.Get("br0").Index, entry.MasterIndex);
        Assert.Contains("02:42:0a:5e:00:09 master br0 static",
            Cmd.Check("nsenter", $"--net={ns.Handle.Path}", "bridge", "fdb", "show", "dev", "p0"), StringComparison.Ordinal);
        Close(ns);
    }

    [RootFact]
    public void APipelineOfThousandsOfRequestsIsSentInSlicesAndAllAcknowledged()
    {
        using var ns = NetworkNamespace.Create(Manager, "bulk");
        ns.Links.Create(new BridgeSpec("br0") { Up = true });
        ns.Links.Create(new VethSpec("p0", "p1") { Master = "br0", Up = true });
        int bridge = ns.Links.Get("br0").Index;
        int port = ns.Links.Get("p0").Index;
        const int Count = 1500;

        // 3,000 requests: ten times the slice, far more ACKs than one receive buffer holds at once.
        var pipeline = ns.Rtnl.Pipeline();
        for (int i = 0; i < Count; i++)
        {
            var mac = new PhysicalAddress([0x02, 0x42, 0x0a, 0x5f, (byte)(i >> 8), (byte)i]);
            pipeline.SetStaticNeighbour(bridge, IPAddress.Parse($"10.95.{i >> 8}.{i & 0xff}"), mac);
            pipeline.SetFdb(port, mac, null, NeighbourFlags.Master, NeighbourState.NoArp);
        }

        Assert.True(pipeline.Count > 10 * Berth.Linux.Netlink.NetlinkSocket.MaxRequestsPerSend);
        pipeline.Execute();

        Assert.Equal(Count, ns.Rtnl.Neighbours.List("br0", AddressFamily.InterNetwork).Count(n => n.State == NeighbourState.Permanent));
        Assert.Equal(Count, ns.Rtnl.Fdb.List("p0").Count(e => e.State == NeighbourState.NoArp));

        // A failure deep in a later slice is reported, naming its request; the rest still applied.
        for (int i = 0; i < 600; i++)
        {
            pipeline.DeleteNeighbour(bridge, IPAddress.Parse($"10.95.{i >> 8}.{i & 0xff}"));
        }

        pipeline.DeleteNeighbour(bridge, IPAddress.Parse("10.95.0.1"));

        var e = Assert.Throws<KernelException>(pipeline.Execute);
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.StartsWith("cannot delete neighbour 10.95.0.1 on link #", e.Message, StringComparison.Ordinal);
        Assert.Equal(Count - 600, ns.Rtnl.Neighbours.List("br0", AddressFamily.InterNetwork).Count(n => n.State == NeighbourState.Permanent));
        Close(ns);
    }

    [RootFact]
    public void ARouteLookupNamesTheLinkTrafficLeavesBy()
    {
        using var ns = NetworkNamespace.Create(Manager, "lookup");
        ns.Links.Create(new BridgeSpec("br0") { Up = true });
        ns.Rtnl.Addresses.Add("br0", IPPrefix.Parse("10.96.0.1/24"));
        ns.Rtnl.Routes.Add(new RouteSpec { Destination = IPNetwork.Parse("10.97.0.0/16"), Gateway = IPAddress.Parse("10.96.0.254") });

        var route = ns.Rtnl.Routes.Lookup(IPAddress.Parse("10.97.3.4"));
        Assert.Equal(ns.Links.Get("br0").Index, route.OutputInterface);
        Assert.Equal(IPAddress.Parse("10.96.0.254"), route.Gateway);
        Assert.Equal(IPAddress.Parse("10.96.0.1"), route.PreferredSource);

        var e = Assert.Throws<KernelException>(() => ns.Rtnl.Routes.Lookup(IPAddress.Parse("192.0.2.9")));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.StartsWith("no route to 192.0.2.9", e.Message, StringComparison.Ordinal);
        Close(ns);
    }

    private void Close(NetworkNamespace ns)
    {
        ns.Dispose();
        Manager.Delete(ns.Name!);
    }
}
