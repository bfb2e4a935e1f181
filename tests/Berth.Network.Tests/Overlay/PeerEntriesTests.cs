using System.Net;
using System.Net.NetworkInformation;
using Berth.Core.Networks;
using Berth.Network.Overlay;

namespace Berth.Network.Tests.Overlay;

/// <summary>The peer diff: what to write so a sandbox's three tables hold exactly the wanted peers.</summary>
public sealed class PeerEntriesTests
{
    private static readonly IPAddress VtepA = IPAddress.Parse("192.168.1.2");
    private static readonly IPAddress VtepB = IPAddress.Parse("192.168.1.3");

    [Fact]
    public void FromNothingEveryPeerGetsItsThreeEntriesForwardingFirst()
    {
        var entries = new PeerEntries();
        var plan = entries.PlanExactly([Peer(2, VtepA), Peer(3, VtepB)]);

        Assert.Equal(
        [
            "SetRemote 02:42:0a:00:00:02 dst 192.168.1.2", "SetForward 02:42:0a:00:00:02",
            "SetRemote 02:42:0a:00:00:03 dst 192.168.1.3", "SetForward 02:42:0a:00:00:03",
            "SetNeighbour 10.0.0.2 lladdr 02:42:0a:00:00:02", "SetNeighbour 10.0.0.3 lladdr 02:42:0a:00:00:03",
        ], plan.Select(p => p.ToString()));

        entries.Apply(plan);
        Assert.Equal([Peer(2, VtepA), Peer(3, VtepB)], entries.Peers());
        Assert.Empty(entries.PlanExactly([Peer(3, VtepB), Peer(2, VtepA)]));
    }

    [Fact]
    public void StaleEntriesGoNeighboursFirstAndOnlyDifferencesAreWritten()
    {
        var entries = Programmed(Peer(2, VtepA), Peer(3, VtepA), Peer(4, VtepA));

        // 2 stays, 3 moved to another node, 4 left, 5 arrived.
        var plan = entries.PlanExactly([Peer(2, VtepA), Peer(3, VtepB), Peer(5, VtepB)]);

        Assert.Equal(
        [
            "SetRemote 02:42:0a:00:00:03 dst 192.168.1.3",
            "SetRemote 02:42:0a:00:00:05 dst 192.168.1.3", "SetForward 02:42:0a:00:00:05",
            "SetNeighbour 10.0.0.5 lladdr 02:42:0a:00:00:05",
            "DeleteNeighbour 10.0.0.4", "DeleteForward 02:42:0a:00:00:04", "DeleteRemote 02:42:0a:00:00:04",
        ], plan.Select(p => p.ToString()));
        entries.Apply(plan);
        Assert.Equal([Peer(2, VtepA), Peer(3, VtepB), Peer(5, VtepB)], entries.Peers());
        Assert.Equal((3, 3, 3), (entries.NeighbourCount, entries.RemoteCount, entries.ForwardCount));
    }

    [Fact]
    public void AnEmptySetRemovesEverythingIncludingHalfProgrammedLeftovers()
    {
        // A crash between writes left a remote without its neighbour, and a stray flood entry.
        var entries = new PeerEntries(
            [(IPAddress.Parse("10.0.0.2"), Mac(2))],
            [(Mac(2), VtepA), (Mac(9), VtepA), (new PhysicalAddress(new byte[6]), VtepB)],
            [Mac(2)]);

        Assert.Equal([Peer(2, VtepA)], entries.Peers());
        var plan = entries.PlanExactly([]);
        entries.Apply(plan);

        Assert.Equal(6 - 1, plan.Count);
        Assert.Empty(entries.Peers());
        Assert.Equal((0, 0, 0), (entries.NeighbourCount, entries.RemoteCount, entries.ForwardCount));
    }

    [Fact]
    public void AMacWithSeveralRemotesIsRewrittenWhole()
    {
        var entries = new PeerEntries([(IPAddress.Parse("10.0.0.2"), Mac(2))], [(Mac(2), VtepA), (Mac(2), VtepB)], [Mac(2)]);

        Assert.Empty(entries.Peers());
        var plan = entries.PlanExactly([Peer(2, VtepA)]);
        Assert.Equal(["DeleteRemote 02:42:0a:00:00:02", "SetRemote 02:42:0a:00:00:02 dst 192.168.1.2"], plan.Select(p => p.ToString()));
        entries.Apply(plan);
        Assert.Equal([Peer(2, VtepA)], entries.Peers());
    }

    [Fact]
    public void PeersThatLostOnlyTheirBridgeEntryAreRecoverable()
    {
        // br0 made again: vxlan0 still has the neighbours and remotes, br0 has no static entries.
        var entries = new PeerEntries([(IPAddress.Parse("10.0.0.2"), Mac(2)), (IPAddress.Parse("10.0.0.3"), Mac(3))], [(Mac(2), VtepA), (Mac(3), VtepB)], []);

        Assert.Empty(entries.Peers());
        Assert.Equal([Peer(2, VtepA), Peer(3, VtepB)], entries.Recoverable());
        var plan = entries.PlanExactly(entries.Recoverable());
        Assert.Equal(["SetForward 02:42:0a:00:00:02", "SetForward 02:42:0a:00:00:03"], plan.Select(p => p.ToString()));
        entries.Apply(plan);
        Assert.Equal([Peer(2, VtepA), Peer(3, VtepB)], entries.Peers());
    }

    [Fact]
    public void AddingAnAddressWithANewMacForgetsTheOldMac()
    {
        var entries = Programmed(Peer(2, VtepA));
        var moved = new OverlayPeer(IPAddress.Parse("10.0.0.2"), Mac(7), VtepB);

        var plan = entries.PlanAdd(moved);

        Assert.Equal(
        [
            "SetRemote 02:42:0a:00:00:07 dst 192.168.1.3", "SetForward 02:42:0a:00:00:07",
            "SetNeighbour 10.0.0.2 lladdr 02:42:0a:00:00:07",
            "DeleteForward 02:42:0a:00:00:02", "DeleteRemote 02:42:0a:00:00:02",
        ], plan.Select(p => p.ToString()));
        entries.Apply(plan);
        Assert.Equal([moved], entries.Peers());
        Assert.Empty(entries.PlanAdd(moved));
    }

    [Fact]
    public void RemovingOneFamilyOfADualStackEndpointKeepsItsMac()
    {
        var v4 = Peer(2, VtepA);
        var v6 = new OverlayPeer(IPAddress.Parse("fd00::2"), Mac(2), VtepA);
        var entries = Programmed(v4, v6);

        var plan = entries.PlanRemove(v4);
        Assert.Equal(["DeleteNeighbour 10.0.0.2"], plan.Select(p => p.ToString()));
        entries.Apply(plan);

        plan = entries.PlanRemove(v6);
        Assert.Equal(["DeleteNeighbour fd00::2", "DeleteForward 02:42:0a:00:00:02", "DeleteRemote 02:42:0a:00:00:02"], plan.Select(p => p.ToString()));
        entries.Apply(plan);
        Assert.Empty(entries.Peers());
        Assert.Empty(entries.PlanRemove(v6));
    }

    [Fact]
    public void RemovingAPeerWhoseAddressWasTakenLeavesTheNewOwnerAlone()
    {
        var old = Peer(2, VtepA);
        var entries = Programmed(old);
        var taken = new OverlayPeer(old.Address, Mac(8), VtepB);
        entries.Apply(entries.PlanAdd(taken));

        Assert.Empty(entries.PlanRemove(old));
        Assert.Equal([taken], entries.Peers());
    }

    [Fact]
    public void EveryProblemOfAPeerSetIsReportedTogether()
    {
        var problems = PeerEntries.Problems(
        [
            Peer(2, VtepA),
            new OverlayPeer(IPAddress.Parse("10.0.0.2"), Mac(3), VtepA),
            new OverlayPeer(IPAddress.Parse("10.0.0.4"), Mac(2), VtepB),
            new OverlayPeer(IPAddress.Parse("10.0.0.5"), Mac(5), IPAddress.Parse("192.168.1.1")),
            new OverlayPeer(IPAddress.Parse("224.0.0.1"), PhysicalAddress.Parse("01-00-5E-00-00-01"), VtepA),
        ], localVtep: IPAddress.Parse("192.168.1.1"));

        Assert.Equal(
        [
            "address 10.0.0.2 is given twice, with MACs 02:42:0a:00:00:02 and 02:42:0a:00:00:03",
            "MAC 02:42:0a:00:00:02 is given behind two VTEPs, 192.168.1.2 and 192.168.1.3",
            "peer 10.0.0.5 (02:42:0a:00:00:05) at 192.168.1.1 is on this node's own VTEP 192.168.1.1; a local endpoint joins the sandbox by its veth, not as a peer",
            "peer 224.0.0.1 (01:00:5e:00:00:01) at 192.168.1.2: 01:00:5e:00:00:01 is not a unicast Ethernet address",
            "peer 224.0.0.1 (01:00:5e:00:00:01) at 192.168.1.2: 224.0.0.1 is not a unicast address",
        ], problems);
        Assert.Empty(PeerEntries.Problems([Peer(2, VtepA), Peer(2, VtepA), Peer(3, VtepB)], IPAddress.Parse("192.168.1.1")));
    }

    [Fact]
    public void ASandboxIsNamedAfterTheFirstTwelveDigitsOfItsNetwork()
    {
        var network = new NetworkId("0123456789ab" + new string('f', 52));
        Assert.Equal("ov-0123456789ab", OverlaySandboxes.NamespaceName(network));
    }

    private static PeerEntries Programmed(params OverlayPeer[] peers)
    {
        var entries = new PeerEntries();
        entries.Apply(entries.PlanExactly(peers));
        return entries;
    }

    private static OverlayPeer Peer(int host, IPAddress vtep) => new(IPAddress.Parse($"10.0.0.{host}"), Mac(host), vtep);

    private static PhysicalAddress Mac(int host) => new([0x02, 0x42, 0x0a, 0x00, 0x00, (byte)host]);
}
