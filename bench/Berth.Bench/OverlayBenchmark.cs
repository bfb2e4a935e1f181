using System.Diagnostics;
using System.Globalization;

namespace Berth.Bench;

/// <summary>
/// Overlay networks (`bench/run.sh overlay`) on a swarm of three lab nodes (<see cref="BenchSwarmLab"/>: node1 its
/// manager, node2 and node3 workers), the real docker CLI against each berthd. One attachable overlay,
/// <see cref="Network"/> on <see cref="Subnet"/>, with a container that only sleeps on every node (a1, a2, and o3, the
/// observer), so every node holds the network's sandbox throughout. Then, one partial each:
/// <list type="bullet">
/// <item>converge (here): from `docker run -d` of xN on node1 returning until o3 on node3 gets a ping answer from xN by
/// name (<see cref="NameProbe"/>, inside o3's namespace), N rounds, xN removed after each; the same with the probe
/// started beside run (zN, converge_from_start_: when node3 could first reach it); the same on one node, yN on node1
/// until a1 pings it (local_);</item>
/// <item><c>OverlayBenchmark.Fdb.cs</c>: 1,000 endpoint records of a made-up node put into etcd in one transaction,
/// until every node's sandbox has programmed them all; then their removal;</item>
/// <item><c>OverlayBenchmark.Throughput.cs</c>: iperf3 from o3 to a2 over the overlay, and from node3's namespace to
/// node2's over the lab LAN (the underlay, no VXLAN), alternating;</item>
/// <item><c>OverlayBenchmark.Encrypted.cs</c>: the same stream over an encrypted overlay against the plain one, berthd's
/// CPU per Gbit, and short requests' p99 on both;</item>
/// <item><c>OverlayBenchmark.Docker.cs</c>: Docker 20.10's single-node swarm, the same-node run → ping (docker_local_).</item>
/// </list>
/// Roots are under /var/lib (etcd's fsyncs on a disk, as a real node's would be). Everything is removed after.
/// </summary>
internal sealed partial class OverlayBenchmark(int count, bool encryptedOnly, TextWriter log)
{
    private const int Nodes = 3;
    private const string Network = "ov";
    private const string Subnet = "10.90.0.0/16"; // room for the 1,000 made-up endpoints beside the containers

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public void Run(BenchResult result)
    {
        string dir = $"/var/lib/berth-bench-{Environment.ProcessId}-overlay";
        result.Add("count", count);
        Measure(dir, result);
        if (!encryptedOnly && BenchDockerd.Installed && Environment.GetEnvironmentVariable("BERTH_BENCH_DOCKER") != "0")
        {
            MeasureDocker(dir + "-docker", result);
            if (result.Number("local_converge_run_to_ping_ms") is { } berth && result.Number("docker_local_converge_run_to_ping_ms") is { } docker)
            {
                result.Add("local_run_to_ping_speedup_vs_docker", Math.Round(docker / berth, 1));
            }
        }
    }

    private void Measure(string dir, BenchResult result)
    {
        using var lab = new BenchSwarmLab(dir);
        log.WriteLine("overlay: starting 3 berthd on a lab LAN (10.89.0.11-13): node1 manager, node2 and node3 workers");
        for (int node = 1; node <= Nodes; node++)
        {
            lab.Start(node);
        }

        lab.FormSwarm(Nodes);
        try
        {
            var scene = Prepare(lab, dir);
            if (encryptedOnly)
            {
                MeasureEncrypted(scene, result);
                return;
            }

            log.WriteLine($"overlay: run -d on node1 until o3 on node3 pings the new container by name, {count} rounds");
            AddRounds(result, "converge", Rounds(lab[1].Cli, "x", lab[3].Cli, "o3"));
            log.WriteLine($"overlay: the same with the probe started beside docker run, {count} rounds");
            AddRounds(result, "converge_from_start", Rounds(lab[1].Cli, "z", lab[3].Cli, "o3", fromStart: true), fromStart: true);
            log.WriteLine($"overlay: the same on one node (node1, observed by a1), {count} rounds");
            AddRounds(result, "local_converge", Rounds(lab[1].Cli, "y", lab[1].Cli, "a1"));
            MeasureFdb(scene, result);
            MeasureThroughput(scene, result);
            MeasureEncrypted(scene, result);
        }
        finally
        {
            RemoveAll(lab);
        }
    }

    /// <summary>The image on every node, the overlay, a container on each node; checks each node has the network's sandbox.</summary>
    private OverlayScene Prepare(BenchSwarmLab lab, string dir)
    {
        log.WriteLine($"overlay: network create -d overlay --attachable --subnet {Subnet} {Network}; a1, a2, o3 on nodes 1-3");
        for (int node = 1; node <= Nodes; node++)
        {
            BusyboxImage.Import(lab[node].Cli, dir);
        }

        string id = lab[1].Cli.Checked("network", "create", "-d", "overlay", "--attachable", "--subnet", Subnet, Network);
        lab[1].Cli.Checked("run", "-d", "--network", Network, "--name", "a1", BusyboxImage.Name, "sleep", "3600");
        lab[2].Cli.Checked("run", "-d", "--network", Network, "--name", "a2", BusyboxImage.Name, "sleep", "3600");
        lab[3].Cli.Checked("run", "-d", "--network", Network, "--name", "o3", BusyboxImage.Name, "sleep", "3600");
        var scene = new OverlayScene(lab, id);
        for (int node = 1; node <= Nodes; node++)
        {
            if (!File.Exists(scene.Sandbox(node)))
            {
                throw new InvalidOperationException($"node{node} has no sandbox {scene.Sandbox(node)} for {Network} with a container on it");
            }
        }

        return scene;
    }

    /// <summary>
    /// <see cref="count"/> rounds of `docker run -d --name PREFIX{i}` on <paramref name="runner"/>, each until
    /// <paramref name="observer"/> (on <paramref name="observerCli"/>'s daemon) pings the new container by name, then
    /// `rm -f`; the address is checked against inspect's. The probe starts when run returns, or with
    /// <paramref name="fromStart"/> when run starts, beside it: how soon the name and the path exist at the observer.
    /// </summary>
    private List<NameRound> Rounds(DockerCli runner, string prefix, DockerCli observerCli, string observer, bool fromStart = false)
    {
        var rounds = new List<NameRound>(count);
        using var probe = new NameProbe(observerCli.NetnsOf(observer));
        for (int i = 0; i < count; i++)
        {
            string name = prefix + i.ToString(CultureInfo.InvariantCulture);
            using var resolver = probe.Prepare(name);
            var clock = Stopwatch.StartNew();
            var early = fromStart ? Task.Factory.StartNew(() => probe.Wait(resolver, name, Patience), TaskCreationOptions.LongRunning) : null;
            runner.Checked("run", "-d", "--network", Network, "--name", name, BusyboxImage.Name, "sleep", "600");
            double runMs = clock.Elapsed.TotalMilliseconds;
            var answer = early?.GetAwaiter().GetResult() ?? probe.Wait(resolver, name, Patience);
            string expected = ContainerAddress(runner, name);
            if (answer.Address.ToString() != expected)
            {
                throw new InvalidOperationException($"{name} resolved to {answer.Address} for {observer}, but its address is {expected}");
            }

            rounds.Add(new NameRound(runMs, answer.ResolvedMs, answer.AnsweredMs));
            log.WriteLine($"  {name} ({answer.Address}): run {runMs:0} ms; from its {(fromStart ? "start" : "return")}, resolved {answer.ResolvedMs:0.0} ms, answered {answer.AnsweredMs:0.0} ms");
            runner.Checked("rm", "-f", name);
        }

        return rounds;
    }

    /// <summary>
    /// <c>{name}_ms</c> (median until the ping answer), <c>_p90_ms</c>, <c>_dns_ms</c> (median until the name resolved),
    /// <c>_run_ms</c> (median of docker run -d itself); timed from run's return, or from its start for a
    /// <c>fromStart</c> name. After return also <c>_run_to_ping_ms</c>: median of run plus the answer (the containers benchmark's run → ping).
    /// </summary>
    private static void AddRounds(BenchResult result, string name, List<NameRound> rounds, bool fromStart = false)
    {
        result.Add(name + "_ms", Stats.Median([.. rounds.Select(r => r.AnsweredMs)]));
        result.Add(name + "_p90_ms", Stats.Percentile([.. rounds.Select(r => r.AnsweredMs)], 90));
        result.Add(name + "_dns_ms", Stats.Median([.. rounds.Select(r => r.ResolvedMs)]));
        result.Add(name + "_run_ms", Stats.Median([.. rounds.Select(r => r.RunMs)]));
        if (!fromStart)
        {
            result.Add(name + "_run_to_ping_ms", Stats.Median([.. rounds.Select(r => r.RunMs + r.AnsweredMs)]));
        }
    }

    /// <summary>
    /// Every container of the bench image on every node, the network and the image; then checks that no node kept
    /// a sandbox (said on stderr: a leftover would be Berth's bug, and the lab's teardown removes it anyway).
    /// </summary>
    private void RemoveAll(BenchSwarmLab lab)
    {
        log.WriteLine("overlay: removing the containers, the network, the image");
        for (int node = 1; node <= Nodes; node++)
        {
            var cli = lab[node].Cli;
            var ids = cli.Run("ps", "-aq", "--filter", "ancestor=" + BusyboxImage.Name).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0)
            {
                cli.Run(["rm", "-f", .. ids]);
            }
        }

        // The ingress network's sandbox stays on every node of a swarm (its routing-mesh entry is in it).
        string ingressId = lab[1].Cli.Run("network", "inspect", "-f", "{{.Id}}", "ingress").Output.Trim();
        string ingress = ingressId.Length >= 12 ? "ov-" + ingressId[..12] : string.Empty;
        lab[1].Cli.Run("network", "rm", Network, EncryptedNetwork);
        for (int node = 1; node <= Nodes; node++)
        {
            lab[node].Cli.Run("rmi", BusyboxImage.Name);
            string netns = Path.Combine(lab[node].ExecRoot, "netns");
            var left = Directory.Exists(netns) ? Directory.GetFiles(netns, "ov-*").Where(f => Path.GetFileName(f) != ingress).ToArray() : [];
            if (left.Length > 0)
            {
                log.WriteLine($"overlay: node{node} still has {string.Join(", ", left.Select(Path.GetFileName))} after network rm");
            }
        }
    }

    private static string ContainerAddress(DockerCli cli, string container, string network = Network) =>
        cli.Checked("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", container);

    /// <summary>One round of run → ping by name: docker run's own time, then until the name resolved and until it answered.</summary>
    private sealed record NameRound(double RunMs, double ResolvedMs, double AnsweredMs);

    /// <summary>The lab and the overlay's id.</summary>
    private sealed record OverlayScene(BenchSwarmLab Lab, string NetworkId)
    {
        /// <summary>Node <paramref name="node"/>'s namespace file of the network's sandbox (ov- and the id's first 12 digits, under its exec root).</summary>
        public string Sandbox(int node) => Path.Combine(Lab[node].ExecRoot, "netns", "ov-" + NetworkId[..12]);
    }
}
