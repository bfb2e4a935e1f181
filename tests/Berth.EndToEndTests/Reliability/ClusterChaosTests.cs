using System.Diagnostics;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// Chaos in a lab swarm (issue 20), each scenario timing its recovery — heal to converged — and printing it as
/// <c>chaos: NAME recovered_ms=N …</c> for a benchmark to collect: a worker cut off the underlay longer than its lease
/// (its tasks move, names and the VIP forget them; healed, its stale containers stop and every slot runs once, the
/// mesh answers everywhere); the leader manager cut off (the other two keep writing, the cut one refuses writes at
/// once with Docker's error; healed, everything converges); a worker and a manager rebooted on those swarms, a power
/// cut's SIGKILL of all their processes (.Restart); etcd members killed under their berthd
/// (<see cref="ClusterChaosTests"/>.Etcd); nodes with skewed clocks (.ClockSkew). Partitions drop frames at the
/// underlay's switch (<see cref="UnderlayPartition"/>), never in a node or on the machine.
/// </summary>
public sealed partial class ClusterChaosTests(ITestOutputHelper output) : ClusterTest
{
    private const string Service = "web";
    private const string Network = "web-net";
    private const string Client = "client";
    private const string OutsiderAddress = "10.88.0.100";
    private const int VipRequests = 12;

    private const string NoLeader =
        "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

    /// <summary>Lease 5 s, the orchestrator's grace for a missing node 10 s, a new task's start: with room for this loaded machine.</summary>
    private static readonly TimeSpan WithinFailover = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan WithinHeal = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a cut-off manager may take to refuse a write: at once, as its store client asks its own member first
    /// (which has no leader). Before that preference it took up to 16.7 s when its rotation had moved on to a member it
    /// could not reach (the long round found it); the bound leaves the docker CLI's own round trips room on a busy machine.
    /// </summary>
    private static readonly TimeSpan PromptRefusal = TimeSpan.FromSeconds(5);

    /// <summary>Each task answers its own hostname (its container's short id) on 8080; a quick stop (busybox nc as pid 1 ignores SIGTERM).</summary>
    private static readonly string[] WhoAmI = ["--stop-grace-period", "1s", "--restart-delay", "1s", "--no-resolve-image", "bb:latest", "nc", "-ll", "-p", "8080", "-e", "hostname"];

    /// <summary>The long tier cuts and heals several times over.</summary>
    private static int Rounds => LongRootFactAttribute.IsLong ? 3 : 1;

    [RootFact]
    public void APartitionedWorkersTasksMoveAndOnceHealedItsStaleTasksStopAndEverySlotRunsOnceAlsoAfterItsReboot()
    {
        // One manager and two workers, a task on each, published through the mesh; clients on the manager and on the
        // worker that will be cut off.
        StartSwarm(managers: 1, workers: 2, Network);
        const int Cut = 3;
        var outsider = AddLanHost("outside", OutsiderAddress);
        Node(1).DockerChecked(["service", "create", "--name", Service, "--replicas", "3", "--network", Network, "--publish", "published=8080,target=8080", .. WhoAmI]);
        Converge(Stopwatch.StartNew(), WithinFailover, "one task per node", OneTaskPerNodeWrong);
        foreach (int node in (int[])[1, Cut])
        {
            Node(node).DockerChecked("run", "-d", "--network", Network, "--name", Client, "bb:latest", "sleep", "3600");
        }

        Converge(Stopwatch.StartNew(), WithinHeal, "all three tasks named, behind the VIP and the mesh", () => FirstWrong(() => NamesWrong([1, Cut]), () => MeshWrong(outsider)));

        for (int round = 1; round <= Rounds; round++)
        {
            var stale = Assert.Single(TaskContainers(Cut));

            // Cut off: the manager loses its heartbeat (lease 5 s), gives the node up after its grace and runs its slot
            // elsewhere; tasks.web and the VIP forget the cut task. The cut node's berthd keeps its container running.
            var clock = Stopwatch.StartNew();
            Underlay.Isolate(Address(Cut));
            long failover = Converge(clock, WithinFailover, $"round {round}: the cut worker's slot runs elsewhere, names and VIP without it",
                () => FirstWrong(
                    () => Enumerable.Range(1, 2).Sum(node => TaskContainers(node).Count) == 3 ? null : "the cut worker's slot does not run on nodes 1-2 yet",
                    () => NamesWrong([1], except: Cut)));
            Assert.Equal(stale.Id, Assert.Single(TaskContainers(Cut)).Id);

            // Healed: the worker's berthd finds its lease gone, takes a new one, learns its task was shut down and stops
            // it; one running container per slot across all nodes; names, VIP and the mesh right everywhere.
            clock.Restart();
            Underlay.Heal(Address(Cut));
            long recovered = Converge(clock, WithinHeal, $"round {round}: healed and converged", () => FirstWrong(
                () => TaskContainers(Cut).Any(t => t.Id == stale.Id) ? $"the healed worker still runs its stale task {stale.Name}" : null,
                () => NodesWrong(1),
                () => SlotsWrong(3),
                () => NamesWrong([1, Cut]),
                () => MeshWrong(outsider)));
            Assert.Equal("exited", Node(Cut).DockerChecked("inspect", "-f", "{{.State.Status}}", stale.Id).Output.Trim());
            Report("worker-partition", recovered, ("failover_ms", failover));

            if (round < Rounds)
            {
                // A task back on the worker for the next round (the scheduler places a new one on the emptiest node).
                Node(1).DockerChecked("service", "update", "--force", Service);
                Converge(Stopwatch.StartNew(), WithinFailover, "one task per node after --force", OneTaskPerNodeWrong);
            }
        }

        // The same worker rebooted (.Restart): on this swarm, as a scenario of its own would build it.
        RebootAndRecover("node-restart", Cut, manager: 1, clients: [1, Cut], outsider, replicas: 3);
    }

    [RootFact]
    public void ACutOffLeaderRefusesWritesAtOnceWhileTheOtherTwoManagersScaleAndAllConvergeWhenHealedAndAfterAManagersReboot()
    {
        StartSwarm(managers: 3, workers: 0, Network);
        var outsider = AddLanHost("outside", OutsiderAddress);
        Node(1).DockerChecked(["service", "create", "--name", Service, "--replicas", "3", "--network", Network, "--publish", "published=8080,target=8080", .. WhoAmI]);
        foreach (var node in Nodes)
        {
            node.DockerChecked("run", "-d", "--network", Network, "--name", Client, "bb:latest", "sleep", "3600");
        }

        Converge(Stopwatch.StartNew(), WithinHeal, "three tasks named, behind the VIP and the mesh", () => FirstWrong(() => SlotsWrong(3), () => NamesWrong([1, 2, 3]), () => MeshWrong(outsider)));

        for (int round = 1; round <= Rounds; round++)
        {
            // Cut off the leader of the moment (a minority of one): the two others elect a leader, and a scale through
            // one of them converges.
            int replicas = 3 + round;
            int leader = Enumerable.Range(1, 3).Single(node => NodeList(Node(1))[NodeId(node)].EndsWith("|Leader", StringComparison.Ordinal));
            int[] majority = [.. Enumerable.Range(1, 3).Where(node => node != leader)];
            string leaderId = NodeId(leader);
            var clock = Stopwatch.StartNew();
            Underlay.Isolate(Address(leader));
            Assert.True(Poll.Until(() => Node(majority[0]).Docker("service", "scale", "--detach", $"{Service}={replicas}").Succeeded, WithinFailover),
                $"the majority does not take a scale: {Node(majority[0]).Docker("service", "scale", "--detach", $"{Service}={replicas}")}\n{Node(majority[0]).Log}");
            long failover = Converge(clock, WithinFailover, $"round {round}: the majority runs {replicas} tasks", () => FirstWrong(
                () => majority.Sum(node => TaskContainers(node).Count) == replicas ? null : "the majority's nodes do not run every task yet",
                () => Node(majority[0]).DockerChecked("service", "ls", "--format", "{{.Replicas}}").Output.Trim() == $"{replicas}/{replicas}"
                    ? null : "service ls: " + Node(majority[0]).DockerChecked("service", "ls").Output,
                () => NamesWrong(majority, except: leader)));

            // The cut-off manager refuses writes promptly with Docker's no-leader error (503), while it still reads.
            AssertRefusesWritesPromptly(leader);

            clock.Restart();
            Underlay.Heal(Address(leader));
            long recovered = Converge(clock, WithinHeal, $"round {round}: healed and converged", () => FirstWrong(
                () => Node(leader).Docker("node", "update", "--label-add", $"healed={round}", leaderId) is var write && write.Succeeded ? null : "the healed manager refuses writes: " + write.Error,
                () => NodesWrong(leader),
                () => NodesWrong(majority[0]),
                () => SlotsWrong(replicas),
                () => NamesWrong([1, 2, 3]),
                () => MeshWrong(outsider)));
            Report("leader-partition", recovered, ("failover_ms", failover));
        }

        var managers = NodeList(Node(1));
        int leading = Assert.Single(Enumerable.Range(1, 3), node => managers[NodeId(node)].EndsWith("|Leader", StringComparison.Ordinal));

        // A manager that does not lead rebooted (.Restart), its etcd member with it.
        RebootAndRecover("manager-restart", leading % 3 + 1, manager: leading, clients: [1, 2, 3], outsider, replicas: 3 + Rounds);
    }

    private string? OneTaskPerNodeWrong() =>
        Enumerable.Range(1, Nodes.Count).All(node => TaskContainers(node).Count == 1) ? null : "not one task on each node";

    /// <summary>
    /// A manager cut off from the others answers a write within <see cref="PromptRefusal"/> with Docker's no-leader
    /// message and status 503 (never a hang, never a 500), and still reads from its member's own copy.
    /// </summary>
    private void AssertRefusesWritesPromptly(int node)
    {
        var clock = Stopwatch.StartNew();
        var refused = Node(node).Docker("service", "scale", "--detach", $"{Service}=9");
        Assert.False(refused.Succeeded, "a cut-off manager took a write");
        if (clock.Elapsed >= PromptRefusal || !refused.Error.Contains(NoLeader, StringComparison.Ordinal))
        {
            Assert.Fail($"the cut-off manager node{node} refused a write after {clock.Elapsed.TotalSeconds:0.0} s with: {refused.Error}\nwhole logs: {KeepLogs()}");
        }

        output.WriteLine($"the cut-off manager refused a scale in {clock.ElapsedMilliseconds} ms: {refused.Error.Trim()}");

        string id = NodeId(node);
        string version = Node(node).DockerChecked("node", "inspect", "-f", "{{.Version.Index}}", id).Output.Trim();
        string spec = Node(node).DockerChecked("node", "inspect", "-f", "{{json .Spec}}", id).Output.Trim();
        clock.Restart();
        string status = Cmd.Check("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "30", "--unix-socket", Node(node).Socket,
            "-X", "POST", "-H", "Content-Type: application/json", "-d", spec, $"http://berth/v1.41/nodes/{id}/update?version={version}");
        Assert.True(status == "503" && clock.Elapsed < PromptRefusal, $"a node update on the cut-off manager answered {status} after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains(Service, Node(node).DockerChecked("service", "ls", "--format", "{{.Name}}").Output, StringComparison.Ordinal);
    }
}
