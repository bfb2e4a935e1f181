using System.Diagnostics;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// Swarm services when things go wrong or change under load, with the real docker CLI across a lab swarm: a worker's
/// berthd killed (its tasks move, its backends leave the VIP and <c>tasks.web</c> with its lease, its old containers
/// stop when it returns) or restarted at once (its task adopted); the leader killed in the middle of a rolling update
/// (the next leader finishes it, once); a berthd stopped while it starts a task (promptly); a start-first update under
/// a stream of requests through the VIP (none lost); host-mode published ports (answering only where a task runs, one
/// task per node and port) and the port conflicts Docker refuses; a stale version refused "out of sequence". Tasks are
/// told apart by their containers on each node (every lab node has the host name "vm").
/// </summary>
public sealed partial class ServiceResilienceTests(ITestOutputHelper output) : ClusterTest
{
    private const string Service = "web";
    private const string Network = "web-net";

    /// <summary>Lease 5 s, the orchestrator's grace for a missing node 10 s, then a new task's start: with room for a loaded machine.</summary>
    private static readonly TimeSpan WithinNodeDown = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    /// <summary>Each task answers its own hostname (its container's short id) on the echo port.</summary>
    private static readonly string[] WhoAmI = ["nc", "-ll", "-p", "8080", "-e", "hostname"];

    /// <summary>What every service here is made with: a quick stop (busybox nc as pid 1 ignores SIGTERM), restarts soon.</summary>
    private static readonly string[] Quick = ["--stop-grace-period", "1s", "--restart-delay", "1s", "--no-resolve-image"];

    /// <summary>The long tier kills and restarts the worker several times over.</summary>
    private static int WorkerCrashes => LongRootFactAttribute.IsLong ? 3 : 1;

    // Long tier only: in ./test.sh, ClusterChaosTests' worker partition and reboot check the same promises (tasks move,
    // the VIP and tasks.NAME name only running tasks, the stale containers stop once the node is back).
    [LongRootFact]
    public void AKilledWorkersTasksMoveTheVipForgetsThemAndItsOldContainersStopWhenItReturns()
    {
        // Three managers and two workers, one task on each node; the client on manager 2.
        Swarm(managers: 3, workers: 2);
        Node(1).DockerChecked(["service", "create", "--name", Service, "--replicas", "5", "--network", Network, .. Quick,
            "bb:latest", .. WhoAmI]);
        Assert.All(Enumerable.Range(1, 5), node => Assert.Single(TaskContainers(node)));
        Node(2).DockerChecked("run", "-d", "--network", Network, "--name", "client", "bb:latest", "sleep", "3600");
        Assert.True(Poll.Until(() => Answering(2, "client", 30).SetEquals(RunningIds()), Within), "not every task answers through the VIP");

        // A worker's berthd stopped and started again at once (before the swarm gives its node up) adopts its task:
        // the same container keeps running, no task is replaced.
        var kept = Assert.Single(TaskContainers(4));
        string tasks = Node(1).DockerChecked("service", "ps", Service, "--format", "{{.ID}} {{.DesiredState}}").Output;
        Assert.Equal(0, Node(4).Stop());
        Restart(4);
        Thread.Sleep(TimeSpan.FromSeconds(7)); // two of the agent's resyncs (3 s) and more orchestrator passes
        Assert.Equal(kept, Assert.Single(TaskContainers(4)));
        Assert.Equal(tasks, Node(1).DockerChecked("service", "ps", Service, "--format", "{{.ID}} {{.DesiredState}}").Output);
        Assert.True(Poll.Until(() => Answering(2, "client", 30).Contains(kept.Id), Within), "the restarted node's task does not answer through the VIP");

        for (int crash = 1; crash <= WorkerCrashes; crash++)
        {
            const int Worker = 5;
            var lost = Assert.Single(TaskContainers(Worker));
            string lostAddress = AddressOf(Worker, lost.Id);
            Assert.Contains(lostAddress, TaskAddresses(2, "client", "tasks." + Service));

            // kill -9 of the worker's berthd: its task container keeps running (conmon is its parent), unreachable now.
            var clock = Stopwatch.StartNew();
            Node(Worker).Kill();
            Assert.True(Poll.Until(() => !TaskAddresses(2, "client", "tasks." + Service).Contains(lostAddress), Within),
                "tasks.web still lists the dead node's task: " + string.Join(",", TaskAddresses(2, "client", "tasks." + Service)));
            output.WriteLine($"crash {crash}: the dead node's task left tasks.web {clock.Elapsed.TotalSeconds:0.0} s after kill -9");

            // Its slot gets a new task on a live node: 5/5 again, each running slot once.
            Assert.True(Poll.Until(() => LiveRunning().Count == 5 && ServicePs("running").Count(s => s.StartsWith("Running", StringComparison.Ordinal)) == 5, WithinNodeDown),
                $"the dead node's task was not rescheduled: {Describe()}\n--- node1 ---\n{Node(1).Log}");
            output.WriteLine($"crash {crash}: 5/5 running again {clock.Elapsed.TotalSeconds:0.0} s after kill -9");
            Assert.Equal("web 5/5", Node(1).DockerChecked("service", "ls", "--format", "{{.Name}} {{.Replicas}}").Output.Trim());
            AssertOneRunningTaskPerSlot(LiveRunning(), 5);
            Assert.Contains("Orphaned", string.Join("\n", ServicePs("shutdown")), StringComparison.Ordinal);

            // Names and the VIP: the live tasks only, and every request answered by one of them (none lost to the dead one).
            Assert.True(Poll.Until(() => TaskAddresses(2, "client", "tasks." + Service).Count == 5, Within), "tasks.web does not list the new task");
            Assert.DoesNotContain(lostAddress, TaskAddresses(2, "client", "tasks." + Service));
            var answers = AnswerLines(2, "client", 40);
            Assert.True(answers.Count == 40, $"{40 - answers.Count} of 40 requests through the VIP failed after convergence");
            Assert.DoesNotContain(lost.Id, answers);
            Assert.True(Poll.Until(() => Answering(2, "client", 40).SetEquals(LiveRunning().Select(t => t.Id)), Within), "not every live task answers through the VIP");

            // Meanwhile the dead node's task still runs (conmon is its parent) and answers in its own namespace.
            Assert.Equal(lost.Id, Cmd.Run("nsenter", $"--net={Path.Combine(Node(Worker).ExecRoot, "netns", "c-" + lost.Id)}", "busybox", "nc", "-w", "2", "127.0.0.1", "8080").Output.Trim());

            // The worker's berthd back: it adopts its old container and stops it (its task was shut down); no slot runs twice.
            clock.Restart();
            Restart(Worker);
            Assert.True(Poll.Until(() => !TaskContainers(Worker).Any(t => t.Id == lost.Id), Within),
                $"the returning node still runs its old task {lost.Name}\n--- node{Worker} ---\n{Node(Worker).Log}");
            output.WriteLine($"crash {crash}: the old task's container stopped {clock.Elapsed.TotalSeconds:0.0} s after berthd started again");
            Assert.True(Poll.Until(() => NodeList(Node(1)).Values.All(v => v.Contains("|Ready|", StringComparison.Ordinal)), Within), string.Join("\n", NodeList(Node(1))));
            AssertOneRunningTaskPerSlot(LiveRunning(), 5);
            Assert.Equal("exited", Node(Worker).DockerChecked("inspect", "-f", "{{.State.Status}}", lost.Id).Output.Trim());
            Assert.Equal(5, ServicePs("running").Count);
            Assert.True(Poll.Until(() => AnswerLines(2, "client", 30) is { Count: 30 } all && all.ToHashSet().IsSubsetOf(LiveRunning().Select(t => t.Id)), Within),
                "after the node's return the VIP sends requests to a stopped task or loses them");

            // Spread again for the next round: a task on the worker (the scheduler places a new one on the emptiest node).
            if (crash < WorkerCrashes)
            {
                Node(1).DockerChecked("service", "update", "--force", Service);
                Assert.True(Poll.Until(() => TaskContainers(Worker).Count == 1, Within), "no task came back to the worker after --force");
            }
        }

        Node(1).DockerChecked("service", "rm", Service);
        Assert.True(Poll.Until(() => Enumerable.Range(1, 5).All(node => TaskContainers(node, all: true).Count == 0), Within),
            "service rm left task containers: " + Describe());
    }

    [RootFact]
    public void ALeaderKilledDuringARollingUpdateIsSucceededByOneThatFinishesItOnce()
    {
        Swarm(managers: 3, workers: 0);
        foreach (var node in Nodes)
        {
            node.DockerChecked("tag", "bb:latest", "bb:v2");
        }

        // Tasks on managers 2 and 3 only, so the leader's death touches the orchestration and nothing it runs.
        Node(1).DockerChecked(["service", "create", "--name", Service, "--replicas", "3", "--network", Network, "--constraint", "node.id!=" + NodeId(1),
            "--update-parallelism", "1", "--update-delay", "2s", "--update-monitor", "1s", .. Quick, "bb:latest", .. WhoAmI]);
        Assert.Equal(3, LiveRunning().Count);
        Assert.Empty(TaskContainers(1));

        Node(1).DockerChecked("service", "update", "--detach", "--image", "bb:v2", "--no-resolve-image", Service);
        Assert.True(Poll.Until(() => LiveRunning().Any(t => t.Image == "bb:v2"), Within), "the update did not start: " + Describe());
        int updatedBefore = LiveRunning().Count(t => t.Image == "bb:v2");
        var clock = Stopwatch.StartNew();
        Node(1).Kill();
        output.WriteLine($"leader killed with {updatedBefore} of 3 tasks updated");

        Assert.True(Poll.Until(() => Node(2).Docker("service", "inspect", "-f", "{{.UpdateStatus.State}}", Service).Output.Trim() == "completed", TimeSpan.FromSeconds(90)),
            $"the update did not complete under a new leader: {Node(2).Docker("service", "inspect", "-f", "{{json .UpdateStatus}}", Service)}\n{Describe()}\n--- node2 ---\n{Node(2).Log}\n--- node3 ---\n{Node(3).Log}");
        output.WriteLine($"update completed {clock.Elapsed.TotalSeconds:0.0} s after the leader's death");
        Assert.Equal("update completed", Node(2).DockerChecked("service", "inspect", "-f", "{{.UpdateStatus.Message}}", Service).Output.Trim());

        // Exactly three tasks of the new spec ever made (the update ran once), all running, one per slot; nothing of the old one runs.
        AssertUpdatedOnce(Node(2));
        Node(3).DockerChecked("run", "-d", "--network", Network, "--name", "client", "bb:latest", "sleep", "3600");
        Assert.True(Poll.Until(() => Answering(3, "client", 30).SetEquals(LiveRunning().Select(t => t.Id)), Within), "the updated tasks do not all answer through the VIP");

        // The old leader back: it leads no more, or leads from the store as it is; either way nothing is redone.
        Restart(1);
        Assert.True(Poll.Until(() => NodeList(Node(2)).Values.All(v => v.Contains("|Ready|", StringComparison.Ordinal)), Within), string.Join("\n", NodeList(Node(2))));
        Node(1).DockerChecked("service", "ls");
        Thread.Sleep(TimeSpan.FromSeconds(5)); // several orchestrator passes (every 3 s) on whichever manager leads now
        AssertUpdatedOnce(Node(1));
        Assert.Empty(TaskContainers(1));
    }

    [RootFact]
    public void ABerthdStoppedWhileItStartsATaskStopsPromptlyAndTheNextOneAdoptsTheTask()
    {
        Swarm(managers: 1, workers: 0);
        Node(1).DockerChecked(["service", "create", "--name", Service, "--replicas", "1", "--network", Network, "--restart-delay", "0s", .. Quick, "bb:latest", .. WhoAmI]);

        // The task's container removed: its replacement starts at once, and SIGTERM finds berthd in the middle of it.
        foreach (int delay in (int[])[50, 150, 300])
        {
            Assert.True(Poll.Until(() => TaskContainers(1).Count == 1, Within), Describe());
            Node(1).DockerChecked("rm", "-f", Assert.Single(TaskContainers(1)).Id);
            Thread.Sleep(delay);
            var clock = Stopwatch.StartNew();
            Assert.Equal(0, Node(1).Stop());
            output.WriteLine($"berthd stopped {delay} ms after the task's container was removed, in {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"berthd took {clock.Elapsed.TotalSeconds:0.0} s to stop");
            Restart(1);
            // (The node is a manager again once its swarm session is back: until then service ps is refused.)
            Assert.True(Poll.Until(() => Lines(Node(1).Docker("service", "ps", Service, "--filter", "desired-state=running", "--format", "{{.CurrentState}}")) is [var state]
                && state.StartsWith("Running", StringComparison.Ordinal) && TaskContainers(1).Count == 1, Within),
                $"after the restart the service does not run its one task: {Describe()}\n{Node(1).Log}");
        }

        Assert.Equal(1, TaskContainers(1, all: true).Count(t => Node(1).DockerChecked("inspect", "-f", "{{.State.Status}}", t.Id).Output.Trim() == "running"));
    }

    /// <summary>The lab swarm (<see cref="ClusterTest.StartSwarm"/>) with the overlay <see cref="Network"/>.</summary>
    private void Swarm(int managers, int workers)
    {
        var clock = Stopwatch.StartNew();
        StartSwarm(managers, workers, Network);
        output.WriteLine($"swarm of {managers} managers and {workers} workers ready in {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
