using System.Diagnostics;
using Berth.Core.Networks;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Network.Overlay;
using Berth.Network.Overlay.Sealed;

namespace Berth.Network.IntegrationTests.Overlay;

/// <summary>
/// An encrypted network's sandbox on two lab hosts: seal0 in place of vxlan0, frames sealed through user space both ways
/// (ARP, ping, a TCP stream of super-frames), the device gone with the sealed path (a berthd crash), and back with
/// <c>Ensure</c>.
/// </summary>
public sealed class SealedSandboxTests : LabTest
{
    private const uint Vni = 4200;
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(5);

    [RootFact]
    public void ContainersOnTwoHostsTalkThroughSealAndNoKernelVxlanIsEverMade()
    {
        using var lab = new OverlayLab(NewLab(), Manager, TestRoot, Runner, hosts: 2);
        var (network, spec, c1, c2) = lab.Pair(Vni, mtu: 1408, encrypted: true);
        Assert.True(c1.PingWithin(c2, Up), "c1 cannot ping c2 through the sealed path: " + Diagnose(lab, network));
        Assert.True(c2.Ping(c1), "c2 cannot ping c1");

        string links = lab[1].SandboxIp(network, "-d", "link", "show");
        Assert.DoesNotContain("vxlan", links, StringComparison.Ordinal);
        Assert.Contains($"{SealedPath.TapName}: ", links, StringComparison.Ordinal);
        Assert.Contains("master br0", links.Split('\n').First(l => l.Contains(SealedPath.TapName, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.False(lab[1].HasUdpSocket(4789), "a kernel VXLAN socket was opened for an encrypted network");
        Assert.True(lab[1].HasUdpSocket(4790), "the sealed path's socket is not open");
        Assert.Equal([OverlayLab.PeerOf(c2)], lab[1].Sandboxes.Peers(network));

        // 4 MB of TCP from c2 to c1: super-frames read from seal0, sealed in chunks, written whole on the other side.
        // (busybox nc ends when its stdin does: sleep holds it open.)
        string count = Path.Combine(TestRoot, "count");
        using var sink = Process.Start("nsenter", [$"--net={c1.Path}", "busybox", "sh", "-c", $"busybox sleep 30 | busybox nc -l -p 9000 | busybox wc -c > {count}"]);
        try
        {
            Assert.True(Poll.Until(() => InNetns.Run(c1.Path, "ss", "-Hltn", "sport = :9000").Output.Length > 0, Up));
            var sent = InNetns.Run(c2.Path, "busybox", "sh", "-c", $"busybox dd if=/dev/zero bs=65536 count=64 2>/dev/null | busybox timeout 20 busybox nc {c1.Address} 9000");
            Assert.True(Poll.Until(() => File.Exists(count) && File.ReadAllText(count).Trim().Length > 0, TimeSpan.FromSeconds(20)), sent.ToString());
            Assert.True(File.ReadAllText(count).Trim() == "4194304", $"{File.ReadAllText(count)}; {Diagnose(lab, network)}");
        }
        finally
        {
            sink.Kill(entireProcessTree: true);
            sink.WaitForExit();
        }

        var counters = lab[1].Sealed.Counters(network)!;
        Assert.True(counters["frames_sent"] > 0 && counters["frames_delivered"] > 0, string.Join(", ", counters));
        Assert.Equal(0, counters["dropped_unauthentic"] + counters["dropped_replayed"] + counters["dropped_malformed"] + counters["dropped_misrouted"]);
        Assert.Equal(3, lab[1].UdpSockets(4790)); // one receiving socket per worker, one port

        // A crash: the sealed path goes, seal0 with it; nothing carries the network until Ensure opens it again.
        lab[1].Restart();
        Assert.DoesNotContain(SealedPath.TapName, lab[1].SandboxIp(network, "link", "show"), StringComparison.Ordinal);
        Assert.False(c1.Ping(c2), "c1 reached c2 with no sealed path on its host");
        Assert.Equal([$"{SealedPath.TapName} opened; its peers were lost with it: set them again"], lab[1].Sandboxes.Ensure(spec));
        lab[1].Sandboxes.SetPeers(network, [OverlayLab.PeerOf(c2)]);
        Assert.True(c1.PingWithin(c2, Up), "c1 cannot ping c2 after the sealed path came back");
        Assert.Empty(lab[1].Sandboxes.Ensure(spec));

        // Removed: the device, the socket (the last encrypted network), the namespace.
        lab[1].Sandboxes.Remove(network);
        Assert.False(lab[1].HasUdpSocket(4790));
        Assert.Null(lab[1].Sealed.Counters(network));
    }

    [RootFact]
    public void WithoutAKeyRingNothingIsSentAndAnotherRingsFramesAreNotOpened()
    {
        using var lab = new OverlayLab(NewLab(), Manager, TestRoot, Runner, hosts: 2);
        var (network, _, c1, c2) = lab.Pair(Vni, mtu: 1408, encrypted: true);
        Assert.True(c1.PingWithin(c2, Up));

        lab[1].Sealed.SetRing(null);
        Assert.False(c1.Ping(c2), "c1 reached c2 with no key to seal with");
        Assert.True(lab[1].Sealed.Counters(network)!["dropped_unknown_key"] > 0);

        // Host 1 seals with a ring host 2 has never seen: host 2 cannot open it.
        lab[1].Sealed.SetRing(OverlayKeyRing.New(DateTimeOffset.UtcNow));
        Assert.False(c1.Ping(c2), "c2 answered frames sealed with a key its host does not have");
        Assert.True(Poll.Until(() => lab[2].Sealed.Counters(network)!["dropped_unauthentic"] + lab[2].Sealed.Counters(network)!["dropped_unknown_key"] > 0, Up));

        lab[1].Sealed.SetRing(lab.Ring);
        Assert.True(c1.PingWithin(c2, Up), "c1 cannot ping c2 with the shared ring back");
    }

    private static string Diagnose(OverlayLab lab, NetworkId network) => string.Join("\n", lab.Hosts.Select(h =>
        $"{h.Vtep}: {string.Join(", ", h.Sealed.Counters(network)?.AsEnumerable() ?? [])}\n{h.SandboxIp(network, "-s", "link", "show")}\n{InNetns.Run(h.SandboxPath(network), "bridge", "fdb", "show").Output}"));
}
