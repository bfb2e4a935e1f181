using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Bench;

/// <summary>
/// fdb_program_1000_ms, fdb_remove_1000_ms: <see cref="FakeEndpoints"/> endpoint records of a node that does not exist
/// (<see cref="FakeNode"/>, tunnel address <see cref="FakeVtep"/>), in the JSON of Berth's <c>RemoteEndpoint</c>, put
/// into etcd under <c>/berth/net/endpoints/NODE/NETWORK/ENDPOINT</c> by one `etcdctl txn` in node1's namespace with
/// node1's certificate, until every node's sandbox has all of them programmed (vxlan0's FDB, br0's FDB on the vxlan0
/// port, vxlan0's neighbour: `bridge fdb show dev vxlan0` and `ip neigh show dev vxlan0` inside the sandbox, one
/// nsenter per node polled in parallel, ~10–20 ms a poll); then one `etcdctl del --prefix` until none is left. The
/// clock starts before etcdctl does. Median over <see cref="FdbRounds"/> rounds of the slowest node.
/// </summary>
internal sealed partial class OverlayBenchmark
{
    private const int FakeEndpoints = 1000;
    private const int FdbRounds = 3;

    /// <summary>A programmed peer's entries in a sandbox (src/Berth.Network/Overlay/README.md, "Peers"): vxlan0's FDB, br0's FDB on vxlan0, vxlan0's neighbour.</summary>
    private const int EntriesPerPeer = 3;

    private const string EndpointsPrefix = "/berth/net/endpoints/";
    private const string FakeNode = "benchfakenode000000000000";
    private const string FakeVtep = "10.89.0.200"; // on the lab LAN, where no node has it: nothing is ever sent there
    private const string FakeMacPrefix = "02:be:00:00:";
    private const int EtcdPort = 2379;

    /// <summary>
    /// Between two reads of a node's tables: each read is a few processes (nsenter, sh, bridge, ip), and three nodes
    /// reading without pause would take a good part of this 2-core machine from the berthds being measured.
    /// </summary>
    private static readonly TimeSpan FdbPollInterval = TimeSpan.FromMilliseconds(25);

    private static readonly TimeSpan FdbPatience = TimeSpan.FromSeconds(90);

    private void MeasureFdb(OverlayScene scene, BenchResult result)
    {
        log.WriteLine($"overlay: {FakeEndpoints} endpoint records put into etcd in one transaction until all 3 nodes programmed them, then deleted; {FdbRounds} rounds");
        CheckRecordShape(scene);
        string puts = Puts(scene.NetworkId);
        var writes = new List<double>(FdbRounds);
        var programmed = new List<double[]>(FdbRounds);
        var removed = new List<double[]>(FdbRounds);
        var programCpu = new List<double[]>(FdbRounds);
        var removeCpu = new List<double[]>(FdbRounds);
        for (int round = 0; round < FdbRounds; round++)
        {
            var cpu = BerthdCpuSeconds(scene);
            var clock = Stopwatch.StartNew();
            Etcdctl(scene, puts, "txn");
            writes.Add(clock.Elapsed.TotalMilliseconds);
            programmed.Add(WaitForPeers(scene, clock, FakeEndpoints * EntriesPerPeer));
            programCpu.Add(CpuMsSince(scene, cpu));
            cpu = BerthdCpuSeconds(scene);
            clock.Restart();
            Etcdctl(scene, null, "del", "--prefix", EndpointsPrefix + FakeNode + "/");
            removed.Add(WaitForPeers(scene, clock, 0));
            removeCpu.Add(CpuMsSince(scene, cpu));
            log.WriteLine($"  round {round + 1}: written {writes[^1]:0} ms; programmed on nodes 1-3 {Join(programmed[^1])} ms (berthd CPU {Join(programCpu[^1])} ms); removed {Join(removed[^1])} ms (CPU {Join(removeCpu[^1])} ms)");
        }

        result.Add("fdb_write_1000_ms", Stats.Median(writes));
        result.Add("fdb_program_1000_ms", Stats.Median([.. programmed.Select(p => p.Max())]));
        result.Add("fdb_program_1000_nodes_ms", PerNodeMedians(programmed));
        result.Add("fdb_program_1000_cpu_ms", PerNodeMedians(programCpu));
        result.Add("fdb_remove_1000_ms", Stats.Median([.. removed.Select(p => p.Max())]));
        result.Add("fdb_remove_1000_nodes_ms", PerNodeMedians(removed));
        result.Add("fdb_remove_1000_cpu_ms", PerNodeMedians(removeCpu));
    }

    /// <summary>The records are written as Berth writes them: the same properties as a record Berth put for one of its containers.</summary>
    private static void CheckRecordShape(OverlayScene scene)
    {
        string real = Etcdctl(scene, null, "get", "--prefix", EndpointsPrefix, "--print-value-only", "--limit", "1").Trim();
        using var berths = JsonDocument.Parse(real);
        using var ours = JsonDocument.Parse(Record(scene.NetworkId, 0));
        var expected = berths.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var actual = ours.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        if (!expected.SequenceEqual(actual))
        {
            throw new InvalidOperationException($"Berth's endpoint records have the properties {string.Join(", ", expected)}; the bench writes {string.Join(", ", actual)}");
        }
    }

    /// <summary>etcdctl txn's input: no comparisons, one put per record, no failure branch.</summary>
    private static string Puts(string networkId)
    {
        var text = new StringBuilder("\n");
        for (int i = 0; i < FakeEndpoints; i++)
        {
            // A double-quoted argument is a Go string literal to etcdctl 3.4 (it cuts a single-quoted one at its first '"').
            string value = Record(networkId, i).Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
            text.Append(CultureInfo.InvariantCulture, $"put {EndpointsPrefix}{FakeNode}/{networkId}/{EndpointId(i)} \"{value}\"\n");
        }

        return text.Append("\n\n").ToString();
    }

    /// <summary>Made-up endpoint <paramref name="i"/>, as Berth's RemoteEndpointJsonContext writes a RemoteEndpoint.</summary>
    private static string Record(string networkId, int i)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("Node", FakeNode);
            json.WriteString("Vtep", FakeVtep);
            json.WriteString("NetworkId", networkId);
            json.WriteString("EndpointId", EndpointId(i));
            json.WriteString("ContainerId", "c" + EndpointId(i)[1..]);
            json.WriteString("ContainerName", string.Create(CultureInfo.InvariantCulture, $"fake{i}"));
            json.WriteString("MacAddress", string.Create(CultureInfo.InvariantCulture, $"{FakeMacPrefix}{i >> 8:x2}:{i & 0xff:x2}"));
            json.WriteString("IPv4", string.Create(CultureInfo.InvariantCulture, $"10.90.{100 + (i / 250)}.{1 + (i % 250)}"));
            json.WriteNull("IPv6");
            json.WriteStartArray("Aliases");
            json.WriteEndArray();
            json.WriteNull("ServiceId");
            json.WriteBoolean("OutOfRotation", false);
            json.WriteBoolean("NodeEntry", false);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string EndpointId(int i) => string.Create(CultureInfo.InvariantCulture, $"e{i:x63}");

    /// <summary>Polls every node's sandbox in parallel until it holds <paramref name="entries"/> of the made-up peers' entries; each node's time on <paramref name="clock"/>.</summary>
    private static double[] WaitForPeers(OverlayScene scene, Stopwatch clock, int entries)
    {
        var nodes = Enumerable.Range(1, Nodes).Select(node => Task.Factory.StartNew(() =>
        {
            int seen = -1;
            try
            {
                Poll.Until(() => (seen = PeerEntries(scene, node)) == entries, FdbPatience, $"node{node}'s sandbox to hold {entries} entries of the made-up peers", FdbPollInterval);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message} (it had {seen})", e);
            }

            return Stats.Round(clock.Elapsed.TotalMilliseconds);
        }, TaskCreationOptions.LongRunning)).ToArray();
        return Task.WhenAll(nodes).GetAwaiter().GetResult();
    }

    /// <summary>Entries of the made-up peers (their MACs) in node <paramref name="node"/>'s sandbox: FDB of vxlan0 (its own and br0's), neighbours of vxlan0.</summary>
    private static int PeerEntries(OverlayScene scene, int node)
    {
        var run = Exec.Capture("nsenter", null, $"--net={scene.Sandbox(node)}", "sh", "-c", "bridge fdb show dev vxlan0 && ip neigh show dev vxlan0");
        return run.ExitCode != 0
            ? throw new InvalidOperationException($"reading node{node}'s sandbox failed: {run.Error}")
            : run.Output.Split('\n').Count(line => line.Contains(FakeMacPrefix, StringComparison.Ordinal));
    }

    /// <summary>etcdctl inside node1's namespace against its etcd member, with its certificate (a manager's: etcd's root role); its output.</summary>
    private static string Etcdctl(OverlayScene scene, string? input, params string[] arguments)
    {
        var node = scene.Lab[1];
        string swarm = Path.Combine(node.Root, "swarm");
        var run = Exec.Capture("nsenter", input,
        [
            $"--net={node.NetnsPath}", "etcdctl", "--endpoints", $"https://{BenchSwarmLab.Address(1)}:{EtcdPort}",
            "--cacert", Path.Combine(swarm, "ca.crt"), "--cert", Path.Combine(swarm, "node.crt"), "--key", Path.Combine(swarm, "node.key"), .. arguments,
        ]);
        return run.ExitCode == 0 && !run.Output.StartsWith("FAILURE", StringComparison.Ordinal)
            ? run.Output
            : throw new InvalidOperationException($"etcdctl {arguments[0]} exited {run.ExitCode}: {run.Error}{run.Output[..Math.Min(run.Output.Length, 500)]}");
    }

    private static double[] BerthdCpuSeconds(OverlayScene scene) => [.. Enumerable.Range(1, Nodes).Select(node => ProcStatus.CpuSeconds(scene.Lab[node].Pid))];

    /// <summary>Each node's berthd CPU time (user + system) since <paramref name="before"/>, in ms (/proc's resolution: 10 ms).</summary>
    private static double[] CpuMsSince(OverlayScene scene, double[] before) =>
        [.. BerthdCpuSeconds(scene).Select((seconds, node) => Stats.Round((seconds - before[node]) * 1000))];

    private static double[] PerNodeMedians(List<double[]> rounds) =>
        [.. Enumerable.Range(0, Nodes).Select(node => Stats.Median([.. rounds.Select(r => r[node])]))];

    private static string Join(double[] values) => string.Join(", ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)));
}
