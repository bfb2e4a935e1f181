using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using Berth.Core.Networks;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Network.Overlay;
using Xunit.Abstractions;

namespace Berth.Network.IntegrationTests.Overlay;

/// <summary>1,000 remote endpoints programmed into one sandbox, read back, changed and removed; the times are logged, not asserted.</summary>
public sealed class OverlayPeerScaleTests(ITestOutputHelper output) : LabTest
{
    private const int Count = 1000;
    private const int RemoteNodes = 50;
    private const int JoinSamples = 21;

    [RootFact]
    public void AThousandPeersAreProgrammedReadBackChangedAndRemoved()
    {
        using var lab = new OverlayLab(NewLab(), Manager, TestRoot, Runner, hosts: 1);
        var host = lab[1];
        var network = NetworkId.New();
        var other = NetworkId.New();
        host.Sandboxes.Ensure(OverlayLab.Spec(network, host, 4097));
        host.Sandboxes.Ensure(OverlayLab.Spec(other, host, 4098));

        // Warm-up (JIT) on another sandbox, so the times below are the kernel's and the diff's.
        host.Sandboxes.SetPeers(other, Peers(0, 10, vtepShift: 0));
        host.Sandboxes.SetPeers(other, []);

        var peers = Peers(0, Count, vtepShift: 0);
        var watch = Stopwatch.StartNew();
        host.Sandboxes.SetPeers(network, peers);
        var program = watch.Elapsed;

        watch.Restart();
        var readBack = host.Sandboxes.Peers(network);
        var read = watch.Elapsed;
        Assert.Equal(Sorted(peers), readBack);

        // As the oracles count them: 1,000 neighbours, 1,000 remotes, 1,000 static bridge entries, no flood entry.
        string fdb = Cmd.Check("nsenter", $"--net={host.SandboxPath(network)}", "bridge", "fdb", "show", "dev", "vxlan0");
        Assert.Equal(Count, fdb.Split('\n').Count(l => l.Contains(" dst ", StringComparison.Ordinal) && l.EndsWith("self permanent", StringComparison.Ordinal)));
        Assert.Equal(Count, fdb.Split('\n').Count(l => l.EndsWith("master br0 static", StringComparison.Ordinal)));
        Assert.DoesNotContain("00:00:00:00:00:00", fdb, StringComparison.Ordinal);
        Assert.Equal(Count, host.SandboxIp(network, "neigh", "show", "dev", "vxlan0", "nud", "permanent").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        watch.Restart();
        host.Sandboxes.SetPeers(network, peers);
        var unchanged = watch.Elapsed;

        // 100 left, 100 moved to other nodes, 100 arrived.
        var changed = peers.Skip(200).Concat(Peers(100, 100, vtepShift: 1)).Concat(Peers(Count, 100, vtepShift: 0)).ToList();
        watch.Restart();
        host.Sandboxes.SetPeers(network, changed);
        var change = watch.Elapsed;
        Assert.Equal(Sorted(changed), host.Sandboxes.Peers(network));

        watch.Restart();
        host.Sandboxes.SetPeers(network, []);
        var clear = watch.Elapsed;
        Assert.Empty(host.Sandboxes.Peers(network));

        // One at a time, as watch events arrive.
        watch.Restart();
        foreach (var peer in peers)
        {
            host.Sandboxes.AddPeer(other, peer);
        }

        var oneByOne = watch.Elapsed;
        Assert.Equal(Sorted(peers), host.Sandboxes.Peers(other));
        watch.Restart();
        foreach (var peer in peers)
        {
            host.Sandboxes.RemovePeer(other, peer);
        }

        var removeOneByOne = watch.Elapsed;
        Assert.Empty(host.Sandboxes.Peers(other));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SetPeers of {Count} peers into an empty sandbox ({3 * Count} netlink writes): {program.TotalMilliseconds:0.0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Peers() reading {Count} back from the kernel: {read.TotalMilliseconds:0.0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SetPeers of the same {Count} again (read, diff, nothing written): {unchanged.TotalMilliseconds:0.0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SetPeers with 100 gone, 100 moved, 100 new: {change.TotalMilliseconds:0.0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SetPeers to none from {Count}: {clear.TotalMilliseconds:0.0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"AddPeer x {Count}, one call each: {oneByOne.TotalMilliseconds:0.0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RemovePeer x {Count}, one call each: {removeOneByOne.TotalMilliseconds:0.0} ms"));

        // What a container's connect costs on top of the namespace: Ensure (finds the sandbox, checks it) and the veth.
        var joins = new List<double>();
        for (int i = 0; i < JoinSamples; i++)
        {
            var container = lab.Join(host, OverlayLab.Spec(network, host, 4097), 10 + i);
            joins.Add(container.JoinMilliseconds);
        }

        joins.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Join into an existing sandbox (Ensure + veth + addresses), median of {JoinSamples}: {joins[JoinSamples / 2]:0.00} ms"));
        Assert.Equal(JoinSamples, host.Sandboxes.LocalEndpoints(network));

        host.Sandboxes.Remove(network);
        host.Sandboxes.Remove(other);
        Assert.Empty(host.Namespaces.List());
    }

    /// <summary>Peers 10.1.x.y with MACs 02:42:0a:01:x:y, spread over <see cref="RemoteNodes"/> VTEPs (shifted by one node to move them).</summary>
    private static List<OverlayPeer> Peers(int first, int count, int vtepShift) =>
        Enumerable.Range(first, count).Select(i => new OverlayPeer(
            new IPAddress([10, 1, (byte)(i >> 8), (byte)i]),
            new PhysicalAddress([0x02, 0x42, 0x0a, 0x01, (byte)(i >> 8), (byte)i]),
            new IPAddress([192, 168, 60, (byte)(2 + ((i + vtepShift) % RemoteNodes))]))).ToList();

    private static List<OverlayPeer> Sorted(IEnumerable<OverlayPeer> peers) =>
        peers.OrderBy(p => BitConverter.ToUInt32([.. p.Address.GetAddressBytes().Reverse()])).ToList();
}
