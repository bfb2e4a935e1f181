using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// Swarm services when things go wrong or change under load, with the real docker CLI across a lab swarm: a worker's
/// berthd killed (its tasks move, its backends leave the VIP and <c>tasks.web</c> with its lease, its old containers
/// stop when it returns); the leader killed in the middle of a rolling update (the next leader finishes it, once); a
/// start-first update under a stream of requests through the VIP (none lost); host-mode published ports (answering
/// only where a task runs, one task per node and port) and the port conflicts Docker refuses; a stale version refused
/// "out of sequence". Tasks are told apart by their containers on each node (every lab node has the host name "vm").
/// </summary>
public sealed class ServiceResilienceTests(ITestOutputHelper output) : ClusterTest
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

    [RootFact]
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
    public void AStartFirstRollingUpdateLosesNoRequestThroughTheVip()
    {
        Swarm(managers: 1, workers: 2);
        // Tasks on the workers; the client on the manager, so every request crosses the overlay.
        Node(1).DockerChecked(["service", "create", "--name", Service, "--replicas", "3", "--network", Network, "--constraint", "node.role==worker",
            "--update-order", "start-first", "--update-parallelism", "1", "--update-delay", "1s", "--update-monitor", "1s", .. Quick, "bb:latest", .. WhoAmI]);
        Node(1).DockerChecked("run", "-d", "--network", Network, "--name", "client", "bb:latest", "sleep", "3600");
        var before = LiveRunning().Select(t => t.Id).ToHashSet();
        Assert.True(Poll.Until(() => Answering(1, "client", 30).SetEquals(before), Within), "not every task answers through the VIP");

        // Requests one after the other for the whole update: each either answered (a task's id) or counted as failed
        // (with the machine's uptime and nc's words, to set beside the nodes' logs).
        Node(1).DockerChecked("exec", "-d", "client", "sh", "-c",
            "while [ ! -e /tmp/stop ]; do r=$(nc -w 2 web 8080 2>&1); if [ ${#r} = 12 ]; then echo $r >> /tmp/ok; else echo \"$(cut -d' ' -f1 /proc/uptime) $r\" >> /tmp/failed; fi; done; touch /tmp/done");
        Assert.True(Poll.Until(() => Lines(Node(1).Docker("exec", "client", "cat", "/tmp/ok")).Length >= 10, Within), "the request loop does not run");

        var clock = Stopwatch.StartNew();
        var update = Node(1).DockerChecked("service", "update", "--env-add", "GENERATION=2", Service);
        Assert.Contains("verify: Service", update.Output + update.Error, StringComparison.Ordinal);
        Assert.True(Poll.Until(() => Node(1).DockerChecked("service", "inspect", "-f", "{{.UpdateStatus.State}}", Service).Output.Trim() == "completed", Within), Describe());
        output.WriteLine($"start-first update of 3 tasks took {clock.Elapsed.TotalSeconds:0.0} s");
        Thread.Sleep(TimeSpan.FromSeconds(2)); // requests after the last old task went
        Node(1).DockerChecked("exec", "client", "touch", "/tmp/stop");
        Assert.True(Poll.Until(() => Node(1).Docker("exec", "client", "test", "-e", "/tmp/done").Succeeded, Within), "the request loop did not end");

        string[] answered = Lines(Node(1).Docker("exec", "client", "cat", "/tmp/ok"));
        string[] failed = Lines(Node(1).Docker("exec", "client", "cat", "/tmp/failed"));
        var after = LiveRunning();
        output.WriteLine($"{answered.Length} requests answered, {failed.Length} failed during the update");
        Assert.True(failed.Length == 0, $"{failed.Length} of {answered.Length + failed.Length} requests failed during the update (the machine's uptime, nc's error):\n{string.Join("\n", failed)}\n{Describe()}");
        Assert.True(answered.Length >= 50, $"only {answered.Length} requests during the update");

        // The tasks are all new (the env they run with), and both generations answered during the update.
        Assert.Equal(3, after.Count);
        Assert.Empty(before.Intersect(after.Select(t => t.Id)));
        Assert.All(after, task => Assert.Contains("GENERATION=2", Nodes[task.Node - 1].DockerChecked("inspect", "-f", "{{json .Config.Env}}", task.Id).Output, StringComparison.Ordinal));
        Assert.True(answered.Intersect(before).Any() && answered.Intersect(after.Select(t => t.Id)).Any(), "the requests did not see both generations");
        AssertOneRunningTaskPerSlot(after, 3);
        Assert.Equal(6, Node(1).DockerChecked("service", "ps", Service, "--format", "{{.ID}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [RootFact]
    public void HostModePortsAnswerWhereATaskRunsOnlyAndAClaimOfTheSamePortThroughTheMeshIsRefused()
    {
        Swarm(managers: 1, workers: 2);
        var outsider = AddLanHost("outside", "10.88.0.50");

        // Global on the workers, each task's port 8080 on its node's own address.
        Node(1).DockerChecked(["service", "create", "--name", "hostweb", "--mode", "global", "--constraint", "node.role==worker",
            "--publish", "mode=host,published=8080,target=8080", .. Quick, "bb:latest", .. WhoAmI]);
        for (int node = 2; node <= 3; node++)
        {
            string id = Assert.Single(TaskContainers(node, "hostweb")).Id;
            int n = node;
            Assert.True(Poll.Until(() => Talk(outsider, Address(n)) == id, Within), $"node{n}:8080 does not answer with its task {id}: {Talk(outsider, Address(n))}");
        }

        Assert.Null(Talk(outsider, Address(1)));
        Assert.Contains("0.0.0.0:8080->8080/tcp", Node(2).DockerChecked("ps", "--filter", "label=com.docker.swarm.service.name=hostweb", "--format", "{{.Ports}}").Output,
            StringComparison.Ordinal);

        // A second service on the same host port: the scheduler keeps it off the nodes holding it, so it lands on node1;
        // a second replica finds no node left.
        Node(1).DockerChecked(["service", "create", "--name", "hostweb2", "--publish", "mode=host,published=8080,target=8080", .. Quick, "bb:latest", .. WhoAmI]);
        string second = Assert.Single(TaskContainers(1, "hostweb2")).Id;
        Assert.True(Poll.Until(() => Talk(outsider, Address(1)) == second, Within), "node1:8080 does not answer with hostweb2's task");
        Node(1).DockerChecked("service", "scale", "--detach", "hostweb2=2");
        Assert.True(Poll.Until(() => Node(1).DockerChecked("service", "ps", "hostweb2", "--format", "{{.CurrentState}}|{{.Error}}").Output
            .Contains("Pending", StringComparison.Ordinal), Within), Node(1).DockerChecked("service", "ps", "--no-trunc", "hostweb2").Output);
        string pending = Node(1).DockerChecked("service", "ps", "--no-trunc", "hostweb2", "--format", "{{.Error}}").Output;
        Assert.Contains("no suitable node", pending, StringComparison.Ordinal);
        Assert.Contains("host-mode port already in use on 3 nodes", pending, StringComparison.Ordinal);
        Assert.Single(Enumerable.Range(1, 3).SelectMany(node => TaskContainers(node, "hostweb2")));

        // The same port through the routing mesh (ingress, the default mode): Docker's refusal, and nothing made.
        Node(1).DockerChecked(["service", "create", "--name", "plain", .. Quick, "bb:latest", "sleep", "3600"]);
        string services = ServiceList();
        string plainVersion = Node(1).DockerChecked("service", "inspect", "-f", "{{.Version.Index}}", "plain").Output.Trim();
        var refused = Node(1).Docker(["service", "create", "--name", "meshweb", "--publish", "published=8080,target=8080", .. Quick, "bb:latest", .. WhoAmI]);
        Assert.False(refused.Succeeded);
        Assert.Matches(@"port '8080' is already in use by service 'hostweb2?' \([0-9a-z]{25}\) as a host-published port", refused.Error);
        var updateRefused = Node(1).Docker("service", "update", "--publish-add", "published=8080,target=8080", "plain");
        Assert.False(updateRefused.Succeeded);
        Assert.Contains("as a host-published port", updateRefused.Error, StringComparison.Ordinal);
        Assert.Equal(services, ServiceList());
        Assert.Equal(plainVersion, Node(1).DockerChecked("service", "inspect", "-f", "{{.Version.Index}}", "plain").Output.Trim());
        Assert.Equal("null", Node(1).DockerChecked("service", "inspect", "-f", "{{json .Endpoint.Ports}}", "plain").Output.Trim());
        Assert.All(Enumerable.Range(1, 3), node => Assert.Empty(TaskContainers(node, "meshweb", all: true)));

        // The other way round: a port the mesh holds (a service with no task) is refused for host mode, new or updated.
        Node(1).DockerChecked(["service", "create", "--name", "meshed", "--replicas", "0", "--publish", "published=9090,target=8080", .. Quick, "bb:latest", .. WhoAmI]);
        services = ServiceList();
        var hostRefused = Node(1).Docker(["service", "create", "--name", "host9090", "--publish", "mode=host,published=9090,target=8080", .. Quick, "bb:latest", .. WhoAmI]);
        Assert.Matches(@"port '9090' is already in use by service 'meshed' \([0-9a-z]{25}\) as an ingress port", hostRefused.Error);
        Assert.Contains("as an ingress port", Node(1).Docker("service", "update", "--publish-add", "mode=host,published=9090,target=8080", "hostweb").Error, StringComparison.Ordinal);
        Assert.Equal(services, ServiceList());
        Assert.All(Enumerable.Range(1, 3), node => Assert.Empty(TaskContainers(node, "host9090", all: true)));

        // Removed: the port is given back on every node.
        Node(1).DockerChecked("service", "rm", "hostweb", "hostweb2");
        Assert.True(Poll.Until(() => Enumerable.Range(1, 3).All(node => Talk(outsider, Address(node)) is null), Within), "a removed service's host port still answers");
    }

    [RootFact]
    public void AStaleVersionIsRefusedOutOfSequenceAndOfTwoRacingUpdatesOneWins()
    {
        Swarm(managers: 1, workers: 1);
        Node(1).DockerChecked(["service", "create", "--name", Service, "--replicas", "2", "--network", Network, "--update-parallelism", "0", .. Quick, "bb:latest", .. WhoAmI]);
        string id = Node(1).DockerChecked("service", "inspect", "-f", "{{.ID}}", Service).Output.Trim();
        long stale = Version();
        var staleSpec = JsonNode.Parse(Node(1).DockerChecked("service", "inspect", "-f", "{{json .Spec}}", Service).Output)!;
        Node(1).DockerChecked("service", "update", "--env-add", "GENERATION=2", Service);
        long current = Version();
        Assert.True(current > stale);
        var tasks = Node(1).DockerChecked("service", "ps", Service, "--format", "{{.ID}}").Output;

        // The CLI's own check: an update with the version it read before another one landed.
        var scaled = staleSpec.DeepClone();
        scaled["Mode"]!["Replicated"]!["Replicas"] = 4;
        var (status, body) = Update(id, stale, scaled);
        Assert.Equal(400, status);
        Assert.Contains("update out of sequence", body, StringComparison.Ordinal);
        Assert.Equal(current, Version());
        Assert.Equal("2", Node(1).DockerChecked("service", "inspect", "-f", "{{.Spec.Mode.Replicated.Replicas}}", Service).Output.Trim());
        Assert.Contains("GENERATION=2", Node(1).DockerChecked("service", "inspect", "-f", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}", Service).Output, StringComparison.Ordinal);
        Thread.Sleep(TimeSpan.FromSeconds(4)); // an orchestrator pass or more: it must not act on the refused spec
        Assert.Equal(tasks, Node(1).DockerChecked("service", "ps", Service, "--format", "{{.ID}}").Output);
        Assert.Equal(2, LiveRunning().Count);

        // Two updates from one version at once: one wins, the other is out of sequence; the service has the winner's spec.
        var spec = JsonNode.Parse(Node(1).DockerChecked("service", "inspect", "-f", "{{json .Spec}}", Service).Output)!;
        var results = new (int Status, string Body)[2];
        Parallel.For(0, 2, i =>
        {
            var change = spec.DeepClone();
            change["TaskTemplate"]!["ContainerSpec"]!["Env"] = new JsonArray($"GENERATION=3{(char)('a' + i)}");
            results[i] = Update(id, current, change);
        });
        Assert.Equal([200, 400], results.Select(r => r.Status).Order());
        var loser = results.Single(r => r.Status == 400);
        Assert.Contains("update out of sequence", loser.Body, StringComparison.Ordinal);
        string winner = "GENERATION=3" + (char)('a' + Array.FindIndex(results, r => r.Status == 200));
        Assert.Equal($"[\"{winner}\"]", Node(1).DockerChecked("service", "inspect", "-f", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}", Service).Output.Trim());
        Assert.True(Poll.Until(() => LiveRunning() is { Count: 2 } running && running.All(t => Env(t).Contains(winner, StringComparison.Ordinal)), Within),
            "the winner's spec was not rolled out: " + Describe());
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

    /// <summary>
    /// The lab swarm: node1 inits it, managers 2… join one at a time (etcd promotes a learner once the cluster is
    /// healthy), then the workers; busybox on every node, an attachable overlay <see cref="Network"/>, every node Ready.
    /// </summary>
    private void Swarm(int managers, int workers)
    {
        var clock = Stopwatch.StartNew();
        StartNodes(managers + workers);
        var (workerToken, managerToken) = InitSwarm();
        for (int node = 2; node <= managers; node++)
        {
            Node(node).DockerChecked("swarm", "join", "--token", managerToken, $"{Address(1)}:2377");
            int voters = node;
            Assert.True(Poll.Until(() => EtcdMembers(1).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(", false", StringComparison.Ordinal)) == voters,
                TimeSpan.FromSeconds(30)), EtcdMembers(1));
        }

        for (int node = managers + 1; node <= managers + workers; node++)
        {
            Node(node).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        }

        string tar = BusyboxImage.BuildTar(TestRoot);
        foreach (var node in Nodes)
        {
            node.DockerChecked("import", "-c", "CMD [\"sh\"]", tar, "bb:latest");
        }

        Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", Network);

        Assert.True(Poll.Until(() => NodeList(Node(1)).Values.Count(v => v.Contains("|Ready|", StringComparison.Ordinal)) == managers + workers, Within),
            string.Join("\n", NodeList(Node(1))));
        output.WriteLine($"swarm of {managers} managers and {workers} workers ready in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private sealed record TaskContainer(int Node, string Id, string Image, string Name)
    {
        /// <summary>The slot of a replicated task (<c>web.3.&lt;task id&gt;</c>).</summary>
        public string Slot => Name.Split('.')[1];
    }

    /// <summary>The service's task containers node <paramref name="node"/> runs (or has, with <paramref name="all"/>), from its own daemon.</summary>
    private List<TaskContainer> TaskContainers(int node, string service = Service, bool all = false) =>
        [.. Lines(Node(node).DockerChecked(["ps", .. all ? ["-a"] : Array.Empty<string>(), "--filter", "label=com.docker.swarm.service.name=" + service,
                "--format", "{{.ID}} {{.Image}} {{.Label \"com.docker.swarm.task.name\"}}"]))
            .Select(line => line.Split(' ')).Select(f => new TaskContainer(node, f[0], f[1], f[2]))];

    /// <summary>Running task containers on the nodes whose berthd runs.</summary>
    private List<TaskContainer> LiveRunning() =>
        [.. Enumerable.Range(1, Nodes.Count).Where(node => Node(node).IsRunning).SelectMany(node => TaskContainers(node))];

    private HashSet<string> RunningIds() => [.. LiveRunning().Select(t => t.Id)];

    private static void AssertOneRunningTaskPerSlot(List<TaskContainer> running, int replicas)
    {
        var slots = running.GroupBy(t => t.Slot).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.True(slots.Count == replicas && slots.Values.All(count => count == 1),
            "not one running task per slot: " + string.Join(", ", running.Select(t => $"{t.Name}@node{t.Node}")));
    }

    /// <summary>The update made exactly three tasks of bb:v2, all running, one per slot; no bb:latest task runs anywhere.</summary>
    private void AssertUpdatedOnce(Berthd manager)
    {
        var ps = Lines(manager.DockerChecked("service", "ps", Service, "--format", "{{.Name}} {{.Image}} {{.DesiredState}} {{.CurrentState}}"));
        var v2 = ps.Where(line => line.Contains(" bb:v2 ", StringComparison.Ordinal)).ToList();
        Assert.True(v2.Count == 3 && v2.All(line => line.Contains(" Running Running", StringComparison.Ordinal)), "not three running bb:v2 tasks:\n" + string.Join("\n", ps));
        Assert.Equal(3, v2.Select(line => line.Split(' ')[0]).Distinct().Count());
        Assert.DoesNotContain(ps, line => line.Contains(" bb:latest Running", StringComparison.Ordinal));
        var running = LiveRunning();
        Assert.True(running.Count == 3 && running.All(t => t.Image == "bb:v2"), "not three bb:v2 containers running: " + Describe());
        AssertOneRunningTaskPerSlot(running, 3);
    }

    /// <summary><c>service ps</c>'s current states of the tasks with this desired state.</summary>
    private List<string> ServicePs(string desired) =>
        [.. Lines(Node(1).DockerChecked("service", "ps", Service, "--filter", "desired-state=" + desired, "--format", "{{.CurrentState}}"))];

    private string ServiceList() => Node(1).DockerChecked("service", "ls", "--format", "{{.ID}} {{.Name}} {{.Mode}} {{.Ports}}").Output;

    private long Version() => long.Parse(Node(1).DockerChecked("service", "inspect", "-f", "{{.Version.Index}}", Service).Output.Trim(), CultureInfo.InvariantCulture);

    private string Env(TaskContainer task) => Node(task.Node).DockerChecked("inspect", "-f", "{{json .Config.Env}}", task.Id).Output;

    /// <summary><c>POST /services/{id}/update?version=</c> straight over node1's socket: the status and the body.</summary>
    private (int Status, string Body) Update(string id, long version, JsonNode spec)
    {
        var result = Cmd.Check("curl", "-s", "--unix-socket", Node(1).Socket, "-X", "POST", "-H", "Content-Type: application/json", "-d", spec.ToJsonString(),
            "-w", "\n%{http_code}", $"http://berth/v1.45/services/{id}/update?version={version.ToString(CultureInfo.InvariantCulture)}");
        int newline = result.LastIndexOf('\n');
        return (int.Parse(result[(newline + 1)..].Trim(), CultureInfo.InvariantCulture), result[..newline]);
    }

    /// <summary>Every node's view, for failure messages.</summary>
    private string Describe() =>
        "service ps:\n" + (Nodes.FirstOrDefault(n => n.IsRunning && n.Docker("service", "ls").Succeeded)?.Docker("service", "ps", "--no-trunc", Service).Output ?? "(no manager answers)")
        + "\n" + string.Join("\n", Enumerable.Range(1, Nodes.Count).Select(node => Node(node).IsRunning
            ? $"node{node}: " + string.Join(", ", TaskContainers(node, all: true).Select(t => $"{t.Name} {t.Image} {Node(node).Docker("inspect", "-f", "{{.State.Status}}", t.Id).Output.Trim()}"))
            : $"node{node}: berthd down"));

    /// <summary>The address of a task container on the overlay.</summary>
    private string AddressOf(int node, string container) =>
        Node(node).DockerChecked("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{Network}\").IPAddress}}}}", container).Output.Trim();

    /// <summary>Who answered <paramref name="count"/> connections through the VIP from a client container (one shell, one exec).</summary>
    private HashSet<string> Answering(int node, string container, int count) => [.. AnswerLines(node, container, count)];

    private List<string> AnswerLines(int node, string container, int count) =>
        [.. Lines(Node(node).Docker("exec", container, "sh", "-c", $"for i in $(seq {count}); do nc -w 2 {Service} 8080; done"))];

    /// <summary>The addresses <c>nslookup</c> in a container gives for a name (the resolver's own address left out).</summary>
    private List<string> TaskAddresses(int node, string container, string name)
    {
        var result = Node(node).Docker("exec", container, "nslookup", name);
        if (!result.Succeeded)
        {
            return [];
        }

        var lines = result.Output.Split('\n');
        int answers = Array.FindIndex(lines, line => line.StartsWith("Name:", StringComparison.Ordinal));
        return answers < 0 ? [] : [.. lines.Skip(answers).Where(line => line.StartsWith("Address", StringComparison.Ordinal)).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])];
    }

    /// <summary>What a TCP connection from a lab host to <paramref name="address"/>:8080 was answered (null: none).</summary>
    private static string? Talk(LabHost host, string address)
    {
        var result = host.Exec("busybox", "nc", "-w", "2", address, "8080");
        return result.Succeeded && result.Output.Trim() is { Length: > 0 } answer ? answer : null;
    }

    private static string[] Lines(CmdResult result) => result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
