using System.Net;
using Berth.Core.Addressing;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Neighbours;

namespace Berth.Linux.IntegrationTests.Netlink;

/// <summary>Two "hosts" joined by a veth underlay, talking over VXLAN with FDB entries Berth programs (no learning).</summary>
public sealed class VxlanTests : LabTest
{
    private const uint Vni = 4242;
    private static readonly TimeSpan LinkUp = TimeSpan.FromSeconds(5);

    [RootFact]
    public void OverlayTrafficFlowsThroughStaticFdbEntries()
    {
        using var h1 = NetworkNamespace.Create(Manager, "h1");
        using var h2 = NetworkNamespace.Create(Manager, "h2");

        // Underlay: one veth, its peer born inside h2.
        h1.Links.Create(new VethSpec("u1", "u2") { PeerNamespace = h2.Handle, Up = true });
        h2.Links.SetUp("u2");
        h1.Rtnl.Addresses.Add("u1", IPPrefix.Parse("10.201.0.1/24"));
        h2.Rtnl.Addresses.Add("u2", IPPrefix.Parse("10.201.0.2/24"));

        AddVtep(h1, "u1", "10.201.0.1", "10.202.0.1/24");
        AddVtep(h2, "u2", "10.201.0.2", "10.202.0.2/24");

        // VXLAN costs 50 bytes of the underlay's MTU (outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8).
        var vx = h1.Links.Get("vx0");
        Assert.Equal("vxlan", vx.Kind);
        Assert.Equal(Vni, vx.VxlanId);
        Assert.Equal(1450, vx.Mtu);
        Assert.Contains("nolearning", InNetns.Ip(h1.Handle.Path, "-d", "link", "show", "vx0"), StringComparison.Ordinal);

        // Without any FDB entry nothing leaves: there is no remote to send to.
        Assert.False(InNetns.Ping(h1.Handle.Path, "10.202.0.2"), "overlay traffic flowed with an empty FDB");

        // Flood entries (all-zero MAC, appended) carry ARP and everything else to the other VTEP.
        h1.Rtnl.Fdb.Append("vx0", FdbOperations.FloodMac, IPAddress.Parse("10.201.0.2"));
        h2.Rtnl.Fdb.Append("vx0", FdbOperations.FloodMac, IPAddress.Parse("10.201.0.1"));
        Assert.True(InNetns.PingWithin(h1.Handle.Path, "10.202.0.2", LinkUp), "no overlay traffic with flood entries");
        var flood = Assert.Single(h1.Rtnl.Fdb.List("vx0"), e => e.Destination is not null);
        Assert.Equal(IPAddress.Parse("10.201.0.2"), flood.Destination);
        Assert.True(flood.State.HasFlag(NeighbourState.Permanent));
        Assert.Contains("dst 10.201.0.2", Cmd.Check("nsenter", $"--net={h1.Handle.Path}", "bridge", "fdb", "show", "dev", "vx0"), StringComparison.Ordinal);

        // Per-MAC entries and static ARP, as a control plane programs them: no flooding needed.
        h1.Rtnl.Fdb.Delete("vx0", FdbOperations.FloodMac, IPAddress.Parse("10.201.0.2"));
        h2.Rtnl.Fdb.Delete("vx0", FdbOperations.FloodMac, IPAddress.Parse("10.201.0.1"));
        var mac1 = h1.Links.Get("vx0").MacAddress!;
        var mac2 = h2.Links.Get("vx0").MacAddress!;
        h1.Rtnl.Neighbours.Delete("vx0", IPAddress.Parse("10.202.0.2"));
        h1.Rtnl.Fdb.Set("vx0", mac2, IPAddress.Parse("10.201.0.2"));
        h2.Rtnl.Fdb.Set("vx0", mac1, IPAddress.Parse("10.201.0.1"));
        h1.Rtnl.Neighbours.SetStatic("vx0", IPAddress.Parse("10.202.0.2"), mac2);
        h2.Rtnl.Neighbours.SetStatic("vx0", IPAddress.Parse("10.202.0.1"), mac1);
        Assert.True(InNetns.PingWithin(h1.Handle.Path, "10.202.0.2", LinkUp), "no overlay traffic with per-MAC entries");
        Assert.Contains(h1.Rtnl.Neighbours.List("vx0"), n => n.Address.Equals(IPAddress.Parse("10.202.0.2")) && n.State == NeighbourState.Permanent);

        // Take the remote's MAC entry away and the overlay goes dark again.
        h1.Rtnl.Fdb.Delete("vx0", mac2, IPAddress.Parse("10.201.0.2"));
        Assert.False(InNetns.Ping(h1.Handle.Path, "10.202.0.2"), "overlay traffic flowed after its FDB entry was deleted");

        h1.Dispose();
        h2.Dispose();
        Manager.Delete("h1");
        Manager.Delete("h2");
    }

    [RootFact]
    public void ASecondVtepWithTheSameVniAndPortIsAConflict()
    {
        using var h = NetworkNamespace.Create(Manager, "dup");
        h.Links.Create(new VxlanSpec("vx0", Vni));
        var e = Assert.Throws<KernelException>(() => h.Links.Create(new VxlanSpec("vx1", Vni)));
        Assert.Equal(Berth.Core.Errors.ErrorKind.Conflict, e.Kind);
        Assert.Contains($"VXLAN id {Vni} on port 4789 is already used", e.Message, StringComparison.Ordinal);
        h.Dispose();
        Manager.Delete("dup");
    }

    [RootFact]
    public void AVxlanMadeIntoAnotherNamespaceKeepsItsSocketInTheRequestersNamespace()
    {
        using var host = NetworkNamespace.Create(Manager, "xhost");
        using var sandbox = NetworkNamespace.Create(Manager, "xsandbox");
        sandbox.Links.Create(new BridgeSpec("br0") { Mtu = 1450, Up = true });
        int bridge = sandbox.Links.Get("br0").Index;

        // Through the host's socket, into the sandbox, on the sandbox's br0 (an index there), up: one message.
        host.Links.Create(new VxlanSpec("vxlan0", Vni)
        {
            Local = IPAddress.Parse("10.203.0.1"),
            Learning = false,
            Proxy = true,
            Mtu = 1450,
            Master = LinkRef.ByIndex(bridge),
            Up = true,
            Namespace = sandbox.Handle,
        });

        Assert.Null(host.Links.TryGet("vxlan0"));
        var vxlan = sandbox.Links.Get("vxlan0");
        Assert.Equal(bridge, vxlan.MasterIndex);
        Assert.True(vxlan.IsUp);
        Assert.NotNull(vxlan.LinkNetnsId);
        Assert.Equal(new VxlanInfo { Vni = Vni, Local = IPAddress.Parse("10.203.0.1"), Port = 4789, Learning = false, Proxy = true }, vxlan.Vxlan);
        string details = InNetns.Ip(sandbox.Handle.Path, "-d", "link", "show", "vxlan0");
        Assert.Contains("nolearning proxy", details, StringComparison.Ordinal);
        Assert.Contains("link-netnsid", details, StringComparison.Ordinal);

        // The UDP socket (4789 = 0x12B5) is the host's, not the sandbox's.
        Assert.Contains(":12B5 ", InNetns.Run(host.Handle.Path, "cat", "/proc/net/udp").Output, StringComparison.Ordinal);
        Assert.DoesNotContain(":12B5 ", InNetns.Run(sandbox.Handle.Path, "cat", "/proc/net/udp").Output, StringComparison.Ordinal);

        // Bridge-port settings and the alias, read back.
        Assert.Equal(new BridgePortInfo { Learning = true, UnicastFlood = true, Hairpin = false }, vxlan.BridgePort);
        sandbox.Links.SetBridgePort("vxlan0", learning: false, unicastFlood: false);
        sandbox.Links.SetAlias("br0", "a note for later");
        Assert.Equal(new BridgePortInfo { Learning = false, UnicastFlood = false, Hairpin = false }, sandbox.Links.Get("vxlan0").BridgePort);
        Assert.Equal("a note for later", sandbox.Links.Get("br0").Alias);
        Assert.Contains("alias a note for later", InNetns.Ip(sandbox.Handle.Path, "link", "show", "br0"), StringComparison.Ordinal);
        sandbox.Links.SetAlias("br0", "");
        Assert.Null(sandbox.Links.Get("br0").Alias);

        // A second vxlan with the VNI, into yet another namespace, clashes in the host where the sockets are.
        using var other = NetworkNamespace.Create(Manager, "xother");
        var e = Assert.Throws<KernelException>(() => host.Links.Create(new VxlanSpec("vxlan0", Vni) { Namespace = other.Handle }));
        Assert.Equal(Berth.Core.Errors.ErrorKind.Conflict, e.Kind);
        Assert.Contains($"VXLAN id {Vni} on port 4789 is already used", e.Message, StringComparison.Ordinal);

        // Deleting the device closes the host's socket.
        sandbox.Links.Delete("vxlan0");
        Assert.DoesNotContain(":12B5 ", InNetns.Run(host.Handle.Path, "cat", "/proc/net/udp").Output, StringComparison.Ordinal);

        foreach (var ns in new[] { host, sandbox, other })
        {
            ns.Dispose();
            Manager.Delete(ns.Name!);
        }
    }

    private static void AddVtep(NetworkNamespace host, string underlay, string local, string overlayCidr)
    {
        host.Links.Create(new VxlanSpec("vx0", Vni) { Local = IPAddress.Parse(local), Underlay = underlay, Learning = false, Up = true });
        host.Rtnl.Addresses.Add("vx0", IPPrefix.Parse(overlayCidr));
    }
}
