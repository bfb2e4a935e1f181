using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Network.Overlay;

namespace Berth.Network.IntegrationTests.Overlay;

/// <summary>
/// Overlay sandboxes on lab hosts joined by an underlay LAN, each host with its own
/// <see cref="OverlaySandboxes"/>; containers on different hosts talk through VXLAN with statically
/// programmed peers.
/// </summary>
public sealed class OverlaySandboxTests : LabTest
{
    private const uint Vni = 4097;
    private const int FourMegabytes = 4 << 20;
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromSeconds(30);

    [RootFact]
    public void ContainersOnThreeHostsTalkAcrossTheOverlay()
    {
        using var lab = NewOverlayLab(hosts: 3);
        var hostsBefore = lab.Hosts.Select(h => h.RoutesAndAddresses()).ToList();
        var network = NetworkId.New();
        var c1 = lab.Join(lab[1], OverlayLab.Spec(network, lab[1], Vni), 2);
        var c2 = lab.Join(lab[2], OverlayLab.Spec(network, lab[2], Vni), 3);
        var c3 = lab.Join(lab[3], OverlayLab.Spec(network, lab[3], Vni), 4);
        SetPeers(lab, network, c1, c2, c3);

        Assert.True(c1.PingWithin(c2, Up), "c1 on h1 cannot ping c2 on h2 over the overlay");
        Assert.True(c1.Ping(c3), "c1 on h1 cannot ping c3 on h3");
        Assert.True(c3.Ping(c2), "c3 on h3 cannot ping c2 on h2");
        Assert.True(c2.Ping(IPAddress.Parse("10.0.0.1")), "c2 cannot ping the gateway on its own node's br0");
        Assert.True(OverlayTraffic.Transfer(c1.Namespace, c3.Namespace, c3.Address, FourMegabytes, TransferTimeout), "4 MB over TCP from c1 to c3 did not arrive intact");

        // What the kernel holds: read back, and as the oracles print it.
        Assert.Equal([OverlayLab.PeerOf(c2), OverlayLab.PeerOf(c3)], lab[1].Sandboxes.Peers(network));
        string fdb = Cmd.Check("nsenter", $"--net={lab[1].SandboxPath(network)}", "bridge", "fdb", "show", "dev", "vxlan0");
        Assert.Matches($"{c2.Endpoint.MacAddress} dst {OverlayLab.Underlay}.2 (link-netnsid \\d+ )?self permanent", fdb);
        Assert.Contains($"{c2.Endpoint.MacAddress} master br0 static", fdb, StringComparison.Ordinal);
        Assert.DoesNotContain("00:00:00:00:00:00", fdb, StringComparison.Ordinal);
        Assert.Contains($"10.0.0.4 lladdr {c3.Endpoint.MacAddress} PERMANENT", lab[1].SandboxIp(network, "neigh", "show", "dev", "vxlan0"), StringComparison.Ordinal);
        string vxlan = lab[1].SandboxIp(network, "-d", "link", "show", "vxlan0");
        Assert.Contains($"vxlan id {Vni} local {OverlayLab.Underlay}.1", vxlan, StringComparison.Ordinal);
        Assert.Contains("nolearning proxy", vxlan, StringComparison.Ordinal);
        Assert.Contains("master br0", vxlan, StringComparison.Ordinal);
        Assert.Contains("learning off", vxlan, StringComparison.Ordinal);
        Assert.Contains("flood off", vxlan, StringComparison.Ordinal);
        Assert.Contains($"link/ether {c1.Endpoint.MacAddress}", InNetns.Ip(c1.Path, "link", "show", "eth0"), StringComparison.Ordinal);
        Assert.Equal(1, lab[1].Sandboxes.LocalEndpoints(network));

        // The hosts' own routes, addresses and links gained nothing.
        Assert.Equal(hostsBefore, lab.Hosts.Select(h => h.RoutesAndAddresses()).ToList());
    }

    [RootFact]
    public void APeerThatWasRemovedGetsNothingUntilItIsAddedAgain()
    {
        using var lab = NewOverlayLab(hosts: 2);
        var (network, _, c1, c2) = lab.Pair(Vni);
        Assert.True(c1.PingWithin(c2, Up), "positive control: c1 cannot ping c2");

        lab[1].Sandboxes.RemovePeer(network, OverlayLab.PeerOf(c2));

        // c1 still has c2's MAC in its ARP cache and sends to it; nothing may leave h1 for it.
        long received = lab[2].VxlanPackets(network).Received;
        Assert.False(c1.Ping(c2), "c1 reached c2 after h1 removed it as a peer");
        Assert.False(OverlayTraffic.Transfer(c1.Namespace, c2.Namespace, c2.Address, 1024, TimeSpan.FromSeconds(2)), "a TCP connection reached a removed peer");
        Assert.Equal(received, lab[2].VxlanPackets(network).Received);
        Assert.Empty(lab[1].Sandboxes.Peers(network));
        Assert.DoesNotContain(c2.Endpoint.MacAddress, Cmd.Check("nsenter", $"--net={lab[1].SandboxPath(network)}", "bridge", "fdb", "show"), StringComparison.Ordinal);

        lab[1].Sandboxes.AddPeer(network, OverlayLab.PeerOf(c2));
        Assert.True(c1.PingWithin(c2, Up), "c1 cannot ping c2 after h1 added it again");
        Assert.Equal([OverlayLab.PeerOf(c2)], lab[1].Sandboxes.Peers(network));

        // Removing twice is harmless.
        lab[1].Sandboxes.RemovePeer(network, OverlayLab.PeerOf(c2));
        lab[1].Sandboxes.RemovePeer(network, OverlayLab.PeerOf(c2));
        Assert.Empty(lab[1].Sandboxes.Peers(network));
    }

    [RootFact]
    public void NothingIsLearnedAContainerNobodyProgrammedIsUnreachable()
    {
        using var lab = NewOverlayLab(hosts: 2);
        var network = NetworkId.New();
        var c1 = lab.Join(lab[1], OverlayLab.Spec(network, lab[1], Vni), 2);
        var c2 = lab.Join(lab[2], OverlayLab.Spec(network, lab[2], Vni), 3);
        var stranger = lab.Join(lab[2], OverlayLab.Spec(network, lab[2], Vni), 9);

        // h2 knows c1; h1 knows c2 but was never told of the stranger.
        lab[1].Sandboxes.SetPeers(network, [OverlayLab.PeerOf(c2)]);
        lab[2].Sandboxes.SetPeers(network, [OverlayLab.PeerOf(c1)]);
        Assert.True(c1.PingWithin(c2, Up), "positive control: c1 cannot ping c2");

        // The stranger's echo requests do reach h1 (h2 knows where c1 is), but c1 can never answer: h1 learns nothing from them.
        long received = lab[1].VxlanPackets(network).Received;
        Assert.False(stranger.Ping(c1), "the stranger, programmed nowhere, got an answer from c1");
        Assert.True(Poll.Until(() => lab[1].VxlanPackets(network).Received > received, Up), "the stranger's echo request never reached h1");
        Assert.False(c1.Ping(stranger), "c1 reached a container h1 was never told of");

        string fdb = Cmd.Check("nsenter", $"--net={lab[1].SandboxPath(network)}", "bridge", "fdb", "show");
        Assert.DoesNotContain(stranger.Endpoint.MacAddress, fdb, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.9", lab[1].SandboxIp(network, "neigh", "show"), StringComparison.Ordinal);
        Assert.Equal([OverlayLab.PeerOf(c2)], lab[1].Sandboxes.Peers(network));
    }

    [RootFact]
    public void TwoOverlaysWithOneSubnetOnTheSameHostsStayApart()
    {
        using var lab = NewOverlayLab(hosts: 2);
        var hostsBefore = lab.Hosts.Select(h => h.RoutesAndAddresses()).ToList();
        var a = NetworkId.New();
        var b = NetworkId.New();

        // Both 10.0.0.0/24 with gateway 10.0.0.1; A's second container is .3, B's is .4.
        var a1 = lab.Join(lab[1], OverlayLab.Spec(a, lab[1], Vni), 2);
        var a2 = lab.Join(lab[2], OverlayLab.Spec(a, lab[2], Vni), 3);
        var b1 = lab.Join(lab[1], OverlayLab.Spec(b, lab[1], Vni + 1), 2);
        var b2 = lab.Join(lab[2], OverlayLab.Spec(b, lab[2], Vni + 1), 4);
        SetPeers(lab, a, a1, a2);
        SetPeers(lab, b, b1, b2);

        Assert.True(a1.PingWithin(a2, Up), "positive control: a1 cannot ping a2 on overlay A");
        Assert.True(b1.PingWithin(b2, Up), "positive control: b1 cannot ping b2 on overlay B");
        Assert.True(a1.Ping(IPAddress.Parse("10.0.0.1")) && b1.Ping(IPAddress.Parse("10.0.0.1")), "each overlay's gateway answers in its own sandbox");
        Assert.False(a1.Ping(b2), "a1 on overlay A reached b2 on overlay B");
        Assert.False(b1.Ping(a2), "b1 on overlay B reached a2 on overlay A");

        // Even told that b2 is its peer, A's sandbox sends with A's VNI: h2 delivers into A's bridge, never B's.
        // (a1's failed lookup of 10.0.0.4 above is flushed, so it asks again at once.)
        lab[1].Sandboxes.AddPeer(a, OverlayLab.PeerOf(b2));
        InNetns.Ip(a1.Path, "neigh", "flush", "to", b2.Address.ToString());
        long bReceived = lab[2].VxlanPackets(b).Received;
        long aReceived = lab[2].VxlanPackets(a).Received;
        Assert.False(a1.Ping(b2), "a frame with A's VNI reached b2 on overlay B");
        Assert.True(Poll.Until(() => lab[2].VxlanPackets(a).Received > aReceived, Up), "the misdirected frame did not even reach h2's sandbox of A");
        Assert.Equal(bReceived, lab[2].VxlanPackets(b).Received);

        Assert.Equal(2, lab[1].Sandboxes.List().Count);
        Assert.Equal(hostsBefore, lab.Hosts.Select(h => h.RoutesAndAddresses()).ToList());
    }

    [RootFact]
    public void TheOverlayMtuIsTheUnderlaysLessFiftyAndLargePacketsCrossWhole()
    {
        using var lab = NewOverlayLab(hosts: 2, underlayMtu: 1400);
        Assert.Equal(1400, UnderlayMtu.Of(lab[1].Host, lab[1].Vtep));
        Assert.Equal(1400, UnderlayMtu.Of(lab[1].Host, lab[2].Vtep)); // not a local address: the route's link
        int mtu = UnderlayMtu.OverlayOf(lab[1].Host, lab[1].Vtep);
        Assert.Equal(1350, mtu);

        var (network, _, c1, c2) = lab.Pair(Vni, mtu);
        Assert.Contains("mtu 1350", InNetns.Ip(c1.Path, "link", "show", "eth0"), StringComparison.Ordinal);
        Assert.Contains("mtu 1350", lab[1].SandboxIp(network, "link", "show", "vxlan0"), StringComparison.Ordinal);
        Assert.Contains("mtu 1350", lab[1].SandboxIp(network, "link", "show", "br0"), StringComparison.Ordinal);
        Assert.True(c1.PingWithin(c2, Up), "c1 cannot ping c2");
        long fragments1 = OverlayTraffic.FragmentsCreated(lab[1].Lab.NetnsPath);
        long fragments2 = OverlayTraffic.FragmentsCreated(lab[2].Lab.NetnsPath);

        // 1322 bytes of payload + 8 ICMP + 20 IP = 1350: the largest packet that fits, sent whole.
        var fits = InNetns.Run(c1.Path, "ping", "-n", "-c1", "-W2", "-M", "do", "-s", "1322", "10.0.0.3");
        Assert.True(fits.Succeeded, fits.ToString());

        // One byte more does not leave the container: EMSGSIZE at its own eth0.
        var tooLarge = InNetns.Run(c1.Path, "ping", "-n", "-c1", "-W2", "-M", "do", "-s", "1323", "10.0.0.3");
        Assert.False(tooLarge.Succeeded);
        Assert.Contains("message too long", tooLarge.Output + tooLarge.Error, StringComparison.OrdinalIgnoreCase);

        Assert.True(OverlayTraffic.Transfer(c1.Namespace, c2.Namespace, c2.Address, FourMegabytes, TransferTimeout), "4 MB over TCP from c1 to c2 did not arrive intact");
        Assert.True(OverlayTraffic.Transfer(c2.Namespace, c1.Namespace, c1.Address, FourMegabytes, TransferTimeout), "4 MB over TCP from c2 to c1 did not arrive intact");
        Assert.Equal(fragments1, OverlayTraffic.FragmentsCreated(lab[1].Lab.NetnsPath));
        Assert.Equal(fragments2, OverlayTraffic.FragmentsCreated(lab[2].Lab.NetnsPath));
    }

    private OverlayLab NewOverlayLab(int hosts, int? underlayMtu = null) => new(NewLab(), Manager, TestRoot, Runner, hosts, underlayMtu);

    /// <summary>Every host gets every container of the other hosts as a peer.</summary>
    private static void SetPeers(OverlayLab lab, NetworkId network, params OverlayLab.Container[] containers)
    {
        foreach (var host in lab.Hosts.Where(h => containers.Any(c => c.Host == h)))
        {
            host.Sandboxes.SetPeers(network, containers.Where(c => c.Host != host).Select(OverlayLab.PeerOf).ToList());
        }
    }
}
