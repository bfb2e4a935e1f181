using System.Diagnostics;
using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// Nodes whose clocks disagree: berthd run under libfaketime (LD_PRELOAD; its wall clock only — the monotonic clock
/// and etcd, a Go program that reads the clock through the vDSO, keep the machine's time). Where Berth compares one
/// node's clock with another's: certificates a manager signs and another node checks (join, etcd and node-channel
/// TLS), and task reports stamped by the agent's clock that the orchestrator times restart and update delays from.
/// </summary>
public sealed partial class ClusterChaosTests
{
    /// <summary>
    /// How far the skewed nodes' clocks are off: under the hour a certificate's NotBefore is backdated by (as swarmkit's
    /// <c>CertBackdate</c>), so a node that far behind still takes a certificate signed a moment ago.
    /// </summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(50);

    private const string Crash = "crash";

    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(6);

    [RootFact]
    public void NodesWithClocksFiftyMinutesOffJoinRunTasksAndKeepRestartAndUpdateDelays()
    {
        // node1: a manager on the machine's time; node2: a manager 50 minutes behind; node3: a worker 50 minutes ahead.
        const int Behind = 2, Ahead = 3;
        NodeEnvironment = node => node switch
        {
            Behind => FakeClock.Offset("-" + Minutes(Skew)),
            Ahead => FakeClock.Offset("+" + Minutes(Skew)),
            _ => new Dictionary<string, string>(),
        };
        var clock = Stopwatch.StartNew();
        StartSwarm(managers: 2, workers: 1);
        output.WriteLine($"a manager {Skew.TotalMinutes:0} min behind and a worker {Skew.TotalMinutes:0} min ahead joined in {clock.Elapsed.TotalSeconds:0.0} s");

        // One task on each skewed node; their containers' creation times show berthd's clock is really off.
        Node(1).DockerChecked(["service", "create", "--name", Service, "--replicas", "2", "--constraint", "node.id!=" + NodeId(1), "--replicas-max-per-node", "1",
            "--update-parallelism", "1", "--update-delay", "2s", .. WhoAmI]);
        Converge(Stopwatch.StartNew(), WithinFailover, "a task on each skewed node", () => SlotsWrong(2));
        foreach (var (node, sign) in (ReadOnlySpan<(int, int)>)[(Behind, -1), (Ahead, 1)])
        {
            var task = Assert.Single(TaskContainers(node));
            var created = DateTime.Parse(Node(node).DockerChecked("inspect", "-f", "{{.Created}}", task.Id).Output.Trim()[..19], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            TimeSpan off = created - DateTime.UtcNow;
            Assert.True(Math.Abs((off - sign * Skew).TotalMinutes) < 2, $"node{node}'s berthd is {off.TotalMinutes:0.0} min off, not {sign * Skew.TotalMinutes:0}: is libfaketime in effect?");
        }

        // A rolling update over both (parallelism 1, 2 s between, the default 5 s monitor): completes, through the manager behind.
        clock.Restart();
        Node(Behind).DockerChecked("service", "update", "--detach", "--force", Service);
        long updated = Converge(clock, WithinHeal, "rolling update over the skewed nodes", () =>
            Node(1).DockerChecked("service", "inspect", "-f", "{{.UpdateStatus.State}}", Service).Output.Trim() is "completed" ? null
                : "update: " + Node(1).DockerChecked("service", "inspect", "-f", "{{json .UpdateStatus}}", Service).Output);
        Assert.Null(SlotsWrong(2));

        // Logs of the worker ahead's task through the manager behind: the node channel's TLS across the skew.
        Assert.True(Poll.Until(() => Node(Behind).Docker("service", "logs", "--raw", Service).Succeeded, TimeSpan.FromSeconds(20)),
            "service logs through the manager behind fail: " + Node(Behind).Docker("service", "logs", Service));

        // A task that fails at once on each skewed node (global, off node1): restarted after its delay — not 50 minutes
        // late, nor at once. The gaps are between the tasks' creations, on the orchestrator's clock.
        Node(1).DockerChecked("service", "create", "--detach", "--name", Crash, "--mode", "global", "--constraint", "node.id!=" + NodeId(1),
            "--restart-delay", $"{RestartDelay.TotalSeconds:0}s", "--restart-condition", "any", "--no-resolve-image", "bb:latest", "sh", "-c", "sleep 1; exit 3");
        foreach (int node in (int[])[Ahead, Behind])
        {
            List<DateTimeOffset> created = [];
            Assert.True(Poll.Until(() => (created = TaskCreationTimes(NodeId(node))).Count >= 3, TimeSpan.FromSeconds(45)),
                $"{Crash} on node{node} was not restarted twice within 45 s (delay {RestartDelay.TotalSeconds:0} s): {Node(1).Docker("service", "ps", "--no-trunc", Crash).Output}");
            var gaps = created.Zip(created.Skip(1), (a, b) => b - a).ToList();
            output.WriteLine($"{Crash} on node{node}: restarts {string.Join(", ", gaps.Select(g => $"{g.TotalSeconds:0.0} s"))} apart");
            Assert.All(gaps, gap => Assert.True(gap >= RestartDelay, $"a restart {gap.TotalSeconds:0.0} s after the previous task's creation, under the {RestartDelay.TotalSeconds:0} s delay"));
        }

        Report("clock-skew", updated);
    }


    private static string Minutes(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0}m");

    /// <summary>When each of <see cref="Crash"/>'s tasks on node <paramref name="nodeId"/> was made (the orchestrator's clock), in order.</summary>
    private List<DateTimeOffset> TaskCreationTimes(string nodeId)
    {
        var ids = Lines(Node(1).DockerChecked("service", "ps", "-q", "--no-trunc", "--filter", "node=" + nodeId, Crash));
        return ids.Length == 0 ? [] :
            [.. Lines(Node(1).DockerChecked(["inspect", "--type", "task", "-f", "{{.CreatedAt.UnixNano}}", .. ids]))
                .Select(ns => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(ns, CultureInfo.InvariantCulture) / 1_000_000)).Order()];
    }
}
