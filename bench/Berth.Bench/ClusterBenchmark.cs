using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Bench;

/// <summary>
/// The swarm (`bench/run.sh cluster`) on four nodes of a lab LAN (<see cref="BenchSwarmLab"/>), the real docker CLI
/// against each berthd: `swarm init` on node1 (median of N, `swarm leave --force` between rounds); a worker's and a
/// manager's `swarm join` (median of N, each round a fresh identity: the node leaves and its record is removed
/// after it); then 3 managers and a worker, each manager's berthd and etcd RSS; kill -9 of the worker's berthd
/// until `node ls` on node1 says Down; kill -9 of the leader's berthd and etcd until another manager answers a
/// write (`node update --label-add`), and until its `node ls` names a new Leader. With Debian's Docker 20.10, its
/// single-node `swarm init` in a namespace of its own in the same run (docker_ fields).
/// Roots are under /var/lib (etcd's fsyncs on a disk, as a real node's would be).
/// </summary>
/// <remarks>
/// node1 runs at debug level: its phase timings of each init (SwarmLog 7034, EtcdMember's start 7000) become the
/// <c>init_phase_*_ms</c> fields (medians). <c>--init-only</c>: only node1 and its init rounds.
/// </remarks>
internal sealed partial class ClusterBenchmark(int count, bool initOnly, TextWriter log)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public void Run(BenchResult result)
    {
        string dir = $"/var/lib/berth-bench-{Environment.ProcessId}-cluster";
        Measure(dir, result);
        if (BenchDockerd.Installed && Environment.GetEnvironmentVariable("BERTH_BENCH_DOCKER") != "0")
        {
            DockerInit(dir + "-docker", result);
        }
    }

    private void Measure(string dir, BenchResult result)
    {
        using var lab = new BenchSwarmLab(dir);
        log.WriteLine(initOnly ? "cluster: starting node1's berthd on a lab LAN (10.89.0.11)" : "cluster: starting 4 berthd on a lab LAN (10.89.0.11-14)");
        lab.Start(1, logLevel: "debug");
        for (int node = 2; node <= 4 && !initOnly; node++)
        {
            lab.Start(node);
        }

        Init(lab, result);
        if (initOnly)
        {
            return;
        }

        Joins(lab, result);
        Form(lab);
        Rss(lab, result);
        NodeDown(lab, result);
        Failover(lab, result);
    }

    private void Init(BenchSwarmLab lab, BenchResult result)
    {
        log.WriteLine($"cluster: swarm init on node1, {count} rounds (swarm leave --force between)");
        var cli = lab[1].Cli;
        var times = new List<double>(count);
        var phases = new ConcurrentDictionary<string, ConcurrentQueue<double>>(StringComparer.Ordinal);
        bool timing = false;
        lab[1].LineReceived += line =>
        {
            if (Volatile.Read(ref timing) && InitPhase.Match(line) is { Success: true } match)
            {
                string phase = match.Groups["phase"].Success ? match.Groups["phase"].Value.Replace(' ', '_') : "etcd_member";
                phases.GetOrAdd(phase, _ => new()).Enqueue(double.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture));
            }
        };
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                Volatile.Write(ref timing, false);
                cli.Run("swarm", "leave", "--force").Check();
            }

            Volatile.Write(ref timing, true);
            times.Add(Timed(() => cli.Run("swarm", "init", "--advertise-addr", BenchSwarmLab.Address(1)).Check()));
        }

        result.Add("init_ms", Stats.Median(times));
        result.Add("init_max_ms", Stats.Percentile(times, 100));
        foreach (var (phase, values) in phases.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result.Add($"init_phase_{phase}_ms", Stats.Round(Stats.Median([.. values])));
        }
    }

    /// <summary>berthd's debug timings of an init: its phases (SwarmLog 7034) and the etcd member's start (EtcdLog 7000).</summary>
    private static readonly Regex InitPhase = new(
        @"\[7034\] swarm (?:init|session): (?<phase>[a-z ]+) took (?<ms>[0-9.]+) ms|\[7000\] etcd member \S+ started \(pid \d+\) in (?<ms>[0-9]+) ms",
        RegexOptions.CultureInvariant);

    private void Joins(BenchSwarmLab lab, BenchResult result)
    {
        var manager = lab[1].Cli;
        string workerToken = manager.Checked("swarm", "join-token", "-q", "worker");
        string managerToken = manager.Checked("swarm", "join-token", "-q", "manager");
        log.WriteLine($"cluster: swarm join as a worker (node4) and as a manager (node2), {count} rounds each (leave and node rm between)");
        result.Add("join_worker_ms", Stats.Median(JoinRounds(lab, 4, workerToken, ["swarm", "leave"])));
        result.Add("join_manager_ms", Stats.Median(JoinRounds(lab, 2, managerToken, ["swarm", "leave", "--force"])));
    }

    private List<double> JoinRounds(BenchSwarmLab lab, int node, string token, string[] leave)
    {
        var cli = lab[node].Cli;
        var times = new List<double>(count);
        for (int i = 0; i < count; i++)
        {
            times.Add(Timed(() => Join(lab, node, token)));
            string id = cli.Checked("info", "-f", "{{.Swarm.NodeID}}");
            cli.Run(leave).Check();

            // Its record stays, Down, until removed (a manager's demoted first, as Docker wants): a fresh node each round.
            Poll.Until(() => RemoveRecord(lab[1].Cli, id), Patience, $"node rm of node{node}'s record");
        }

        return times;
    }

    private static bool RemoveRecord(DockerCli manager, string id)
    {
        if (manager.Run("node", "rm", "--force", id).Code == 0)
        {
            return true;
        }

        // Docker refuses to remove a manager's record ("It must be demoted to worker before removal"): demote, then the next poll removes it.
        manager.Run("node", "demote", id);
        return false;
    }

    /// <summary>
    /// A join, retried 2 s later while etcd refuses a member change right after another (berthd waits up to 8 s
    /// itself); a retry is said on stderr, and a timed round that needed one counts its whole time.
    /// </summary>
    private void Join(BenchSwarmLab lab, int node, string token)
    {
        for (int attempt = 1; ; attempt++)
        {
            var run = lab[node].Cli.Run("swarm", "join", "--advertise-addr", BenchSwarmLab.Address(node), "--token", token, BenchSwarmLab.Address(1) + ":2377");
            if (run.Code == 0 || attempt == 3)
            {
                run.Check();
                return;
            }

            log.WriteLine($"cluster: node{node}'s join failed, retrying in 2 s: {run.Error.Trim()}");
            Thread.Sleep(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>node2 and node3 join as managers, node4 as a worker; waits until node1 lists all four Ready.</summary>
    private void Form(BenchSwarmLab lab)
    {
        log.WriteLine("cluster: forming 3 managers and a worker");
        var manager = lab[1].Cli;
        string workerToken = manager.Checked("swarm", "join-token", "-q", "worker");
        string managerToken = manager.Checked("swarm", "join-token", "-q", "manager");
        Join(lab, 2, managerToken);
        Join(lab, 3, managerToken);
        Join(lab, 4, workerToken);
        Poll.Until(() =>
        {
            var lines = NodeLines(manager);
            return lines.Count == 4 && lines.All(l => l.Status == "Ready") && lines.Count(l => l.ManagerStatus is "Leader" or "Reachable") == 3;
        }, Patience, "node ls on node1 to show 4 nodes Ready, 3 managers Reachable");
    }

    /// <summary>How long the formed swarm is left to settle before its memory is read: the joins' catch-up done.</summary>
    private static readonly TimeSpan RssSettle = TimeSpan.FromSeconds(10);

    /// <summary>How long the idle swarm's memory is then read, once a second; each figure is the most seen.</summary>
    private static readonly TimeSpan RssWindow = TimeSpan.FromSeconds(30);

    private void Rss(BenchSwarmLab lab, BenchResult result)
    {
        log.WriteLine($"cluster: memory of the idle swarm, the most of each process over {RssWindow.TotalSeconds:F0} s after {RssSettle.TotalSeconds:F0} s");
        Thread.Sleep(RssSettle);
        var berthd = new double[3];
        var etcd = new double[3];
        double managerMax = 0, worker = 0;
        for (var end = DateTime.UtcNow + RssWindow; DateTime.UtcNow < end; Thread.Sleep(TimeSpan.FromSeconds(1)))
        {
            for (int node = 1; node <= 3; node++)
            {
                double b = ProcStatus.RssMb(lab[node].Pid), e = Stats.Round(lab.EtcdPids(node).Sum(ProcStatus.RssMb));
                berthd[node - 1] = Math.Max(berthd[node - 1], b);
                etcd[node - 1] = Math.Max(etcd[node - 1], e);
                managerMax = Math.Max(managerMax, Stats.Round(b + e));
            }

            worker = Math.Max(worker, ProcStatus.RssMb(lab[4].Pid));
        }

        log.WriteLine($"cluster: berthd {string.Join(", ", berthd)} MB, etcd {string.Join(", ", etcd)} MB");
        result.Add("berthd_rss_mb", berthd);
        result.Add("etcd_rss_mb", etcd);
        result.Add("manager_rss_max_mb", managerMax);
        result.Add("worker_berthd_rss_mb", worker);
    }

    private void NodeDown(BenchSwarmLab lab, BenchResult result)
    {
        log.WriteLine("cluster: kill -9 of the worker's berthd until node ls on node1 says Down");
        string worker = lab[4].Cli.Checked("info", "-f", "{{.Swarm.NodeID}}");
        var manager = lab[1].Cli;
        var clock = Stopwatch.StartNew();
        lab.KillBerthd(4);
        Poll.Until(() => NodeLines(manager).Any(l => l.Id == worker && l.Status == "Down"), Patience, "node ls to show the worker Down");
        result.Add("node_down_detect_ms", Stats.Round(clock.Elapsed.TotalMilliseconds));
    }

    private void Failover(BenchSwarmLab lab, BenchResult result)
    {
        var ids = Enumerable.Range(1, 3).ToDictionary(n => n, n => lab[n].Cli.Checked("info", "-f", "{{.Swarm.NodeID}}"));
        string leaderId = NodeLines(lab[1].Cli).Single(l => l.ManagerStatus == "Leader").Id;
        int leader = ids.Single(pair => pair.Value == leaderId).Key;
        int other = leader == 1 ? 2 : 1;
        var cli = lab[other].Cli;
        var etcd = lab.EtcdPids(leader);
        log.WriteLine($"cluster: kill -9 of the leader's (node{leader}) berthd and etcd until node{other} answers node update --label-add");
        var clock = Stopwatch.StartNew();
        lab.KillBerthd(leader);
        foreach (int pid in etcd)
        {
            Exec.Run("kill", "-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        int round = 0;
        Poll.Until(() => cli.Run("node", "update", "--label-add", $"bench={++round}", ids[other]).Code == 0, Patience, "a write to succeed on another manager");
        result.Add("leader_failover_ms", Stats.Round(clock.Elapsed.TotalMilliseconds));
        Poll.Until(() => NodeLines(cli).Any(l => l.ManagerStatus == "Leader" && l.Id != leaderId), Patience, "node ls to name a new Leader");
        result.Add("leader_reelected_ms", Stats.Round(clock.Elapsed.TotalMilliseconds));
    }

    private static double Timed(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static List<SwarmNodeLine> NodeLines(DockerCli cli)
    {
        var run = cli.Run("node", "ls", "--format", "{{.ID}}|{{.Status}}|{{.ManagerStatus}}");
        return run.Code != 0
            ? []
            : [.. run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('|')).Select(f => new SwarmNodeLine(f[0], f[1], f[2]))];
    }
}
