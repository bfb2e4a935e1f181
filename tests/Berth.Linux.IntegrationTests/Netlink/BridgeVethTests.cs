using System.Net;
using Berth.Core.Addressing;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Routes;

namespace Berth.Linux.IntegrationTests.Netlink;

/// <summary>Container-style endpoints built by Berth alone: a bridge, veths whose peers are born inside their namespaces as eth0.</summary>
public sealed class BridgeVethTests : LabTest
{
    private static readonly TimeSpan LinkUp = TimeSpan.FromSeconds(5);

    [RootFact]
    public void TwoEndpointsOnABridgePingEachOtherAndTheHost()
    {
        using var host = NetworkNamespace.Create(Manager, "host");
        host.Links.SetUp("lo");
        host.Links.Create(new BridgeSpec("br0") { Up = true });
        host.Rtnl.Addresses.Add("br0", IPPrefix.Parse("10.90.0.1/24"));

        using var a = AddEndpoint(host, "a", "va", "10.90.0.2/24");
        using var b = AddEndpoint(host, "b", "vb", "10.90.0.3/24");

        Assert.True(InNetns.PingWithin(a.Handle.Path, "10.90.0.3", LinkUp), "endpoint a cannot ping endpoint b over the bridge");
        Assert.True(InNetns.Ping(b.Handle.Path, "10.90.0.2"), "endpoint b cannot ping endpoint a");
        Assert.True(InNetns.Ping(host.Handle.Path, "10.90.0.2"), "the host cannot ping endpoint a");

        // The oracle agrees on where each end lives and what it looks like.
        string eth0 = InNetns.Ip(a.Handle.Path, "-o", "addr", "show", "dev", "eth0");
        Assert.Contains("10.90.0.2/24", eth0, StringComparison.Ordinal);
        Assert.Contains("default via 10.90.0.1 dev eth0", InNetns.Ip(a.Handle.Path, "route"), StringComparison.Ordinal);
        Assert.Contains("master br0", InNetns.Ip(host.Handle.Path, "-o", "link", "show", "va"), StringComparison.Ordinal);
        var va = host.Links.Get("va");
        Assert.Equal("veth", va.Kind);
        Assert.Equal(host.Links.Get("br0").Index, va.MasterIndex);
        Assert.NotNull(va.LinkNetnsId); // its peer lives in another namespace

        Remove(a);
        Remove(b);
        Assert.True(Poll.Until(() => host.Links.TryGet("va") is null && host.Links.TryGet("vb") is null, LinkUp),
            "deleting the endpoint namespaces did not remove the host ends of their veths");
        Manager.Delete("host");
    }

    [RootFact]
    public void LinkAttributesCanBeChangedAndReadBack()
    {
        using var ns = NetworkNamespace.Create(Manager, "attrs");
        ns.Links.Create(new BridgeSpec("br0"));
        ns.Links.Create(new VethSpec("v0", "v1") { Mtu = 1400 });
        Assert.Equal(1400, ns.Links.Get("v1").Mtu);

        ns.Links.SetMtu("v0", 1300);
        var mac = System.Net.NetworkInformation.PhysicalAddress.Parse("02-42-AC-11-00-09");
        ns.Links.SetMacAddress("v0", mac);
        ns.Links.SetMaster("v0", "br0");
        ns.Links.SetUp("v0");
        var v0 = ns.Links.Get("v0");
        Assert.Equal(1300, v0.Mtu);
        Assert.Equal(mac, v0.MacAddress);
        Assert.Equal(ns.Links.Get("br0").Index, v0.MasterIndex);
        Assert.True(v0.IsUp);
        string oracle = InNetns.Ip(ns.Handle.Path, "-o", "link", "show", "v0");
        Assert.Contains("mtu 1300", oracle, StringComparison.Ordinal);
        Assert.Contains("master br0", oracle, StringComparison.Ordinal);
        Assert.Contains("02:42:ac:11:00:09", oracle, StringComparison.Ordinal);

        ns.Links.SetMaster("v0", null);
        ns.Links.SetDown("v0");
        ns.Links.Rename("v0", "renamed0");
        var renamed = ns.Links.Get("renamed0");
        Assert.Equal(v0.Index, renamed.Index);
        Assert.Null(renamed.MasterIndex);
        Assert.False(renamed.IsUp);
        Assert.Null(ns.Links.TryGet("v0"));
        Assert.Contains(ns.Links.List(), l => l.Name == "renamed0" && l.Kind == "veth");

        ns.Links.Delete("renamed0");
        Assert.Null(ns.Links.TryGet("v1")); // deleting one end of a veth removes both
        Assert.False(ns.Links.TryDelete("renamed0"));
        Manager.Delete("attrs");
    }

    [RootFact]
    public void ALinkCanBeMovedIntoAnotherNamespace()
    {
        using var first = NetworkNamespace.Create(Manager, "first");
        using var second = NetworkNamespace.Create(Manager, "second");
        first.Links.Create(new VethSpec("m0", "m1"));

        first.Links.MoveToNamespace("m1", second.Handle);

        Assert.Null(first.Links.TryGet("m1"));
        Assert.Equal("veth", second.Links.Get("m1").Kind);
        Manager.Delete("first");
        Manager.Delete("second");
    }

    [RootFact]
    public void TapDevicesAreCreatedInsideTheNamespace()
    {
        using var ns = NetworkNamespace.Create(Manager, "taps");
        ns.CreateTap("tap0");
        Assert.Equal("tun", ns.Links.Get("tap0").Kind);
        Assert.Contains("tap0", InNetns.Ip(ns.Handle.Path, "-o", "link", "show", "tap0"), StringComparison.Ordinal);
        ns.Links.Delete("tap0");
        Manager.Delete("taps");
    }

    /// <summary>The endpoint recipe: one RTM_NEWLINK for the veth, then lo/eth0 up, address and route pipelined.</summary>
    private NetworkNamespace AddEndpoint(NetworkNamespace host, string name, string hostEnd, string cidr)
    {
        var endpoint = NetworkNamespace.Create(Manager, name);
        host.Links.Create(new VethSpec(hostEnd, "eth0") { PeerNamespace = endpoint.Handle, Master = "br0", Up = true });
        int eth0 = endpoint.Links.Get("eth0").Index;
        endpoint.Rtnl.Pipeline()
            .SetUp("lo")
            .SetUp(eth0)
            .AddAddress(eth0, IPPrefix.Parse(cidr))
            .AddRoute(RouteSpec.DefaultVia(IPAddress.Parse("10.90.0.1"), eth0))
            .Execute();
        return endpoint;
    }

    private void Remove(NetworkNamespace endpoint)
    {
        string name = endpoint.Name!;
        endpoint.Dispose();
        Manager.Delete(name);
    }
}
