using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// Swarm services across the lab's nodes with the real docker CLI: the CLI's own wait for convergence, tasks spread
/// over the nodes as containers with Docker's names and labels, scaling, a killed task replaced by its restart policy,
/// names through the embedded DNS (the VIP and <c>tasks.NAME</c>), and removal that leaves no container anywhere.
/// </summary>
public sealed class ServiceTests : ClusterTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    /// <summary>Each task answers its own hostname (its container's short id) on the echo port.</summary>
    private static readonly string[] WhoAmI = ["nc", "-ll", "-p", "8080", "-e", "hostname"];

    [RootFact]
    public void AReplicatedServiceSpreadsOverTheNodesScalesRestartsAndGoes()
    {
        StartWorkerSwarm(3);
        Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", "web-net");

        // Bad specs: a 4xx naming the problem, and no service made.
        Assert.Contains("replicas can only be used with replicated", Node(1).Docker("service", "create", "--name", "bad", "--mode", "global", "--replicas", "2", "--no-resolve-image", "bb:latest", "true").Error, StringComparison.Ordinal);
        Assert.Contains("not found", Node(1).Docker("service", "create", "--name", "bad", "--network", "nowhere", "--no-resolve-image", "bb:latest", "true").Error, StringComparison.Ordinal);
        Assert.Contains("node.colour", Node(1).Docker("service", "create", "--name", "bad", "--constraint", "node.colour==red", "--no-resolve-image", "bb:latest", "true").Error, StringComparison.Ordinal);
        Assert.Empty(Node(1).DockerChecked("service", "ls", "-q").Output.Trim());

        // The CLI waits (no --detach) until it sees three running tasks, as it does against Docker.
        var created = Node(1).DockerChecked(["service", "create", "--name", "web", "--replicas", "3", "--network", "web-net", "--restart-delay", "1s",
            "--update-monitor", "1s", "--no-resolve-image", "bb:latest", .. WhoAmI]);
        Assert.Contains("verify: Service", created.Output + created.Error, StringComparison.Ordinal);
        Assert.Equal("web 3/3", Node(1).DockerChecked("service", "ls", "--format", "{{.Name}} {{.Replicas}}").Output.Trim());

        // One task per node (spread), each a container named web.<slot>.<task id> with Docker's labels.
        var tasks = Node(1).DockerChecked("service", "ps", "web", "--format", "{{.Name}} {{.Node}} {{.CurrentState}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // (Every lab node has the machine's hostname, so the spread is seen on each node's own containers below.)
        Assert.True(tasks.Length == 3 && tasks.All(task => task.Contains("Running", StringComparison.Ordinal)), "not three running tasks:\n" + string.Join("\n", tasks));
        for (int node = 1; node <= 3; node++)
        {
            var names = Node(node).DockerChecked("ps", "--filter", "label=com.docker.swarm.service.name=web", "--format", "{{.Names}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(names);
            Assert.Matches(@"^web\.[123]\.[0-9a-z]{25}$", names[0]);
        }

        // From a container on another node: tasks.web gives every task's address.
        Node(2).DockerChecked("run", "-d", "--network", "web-net", "--name", "client", "bb:latest", "sleep", "600");
        Assert.True(Poll.Until(() => ServiceProbes.Addresses(Node(2), "client", "tasks.web").Count == 3, Within), "tasks.web does not list three tasks");

        // The VIP: `web` resolves to one address, and connections to it reach every task (each answers its hostname, its
        // container's short id), balanced where the client is.
        Assert.Single(ServiceProbes.Addresses(Node(2), "client", "web"));
        Assert.True(Poll.Until(() => ServiceProbes.Answering(Node(2), "client", "web", 30).SetEquals(ServiceProbes.TaskContainerIds(Nodes, "web")), Within),
            $"not every task answers through the VIP: {string.Join(",", ServiceProbes.Answering(Node(2), "client", "web", 30))} vs {string.Join(",", ServiceProbes.TaskContainerIds(Nodes, "web"))}");

        // Scale up and down: the CLI waits again, and the tasks follow.
        Node(1).DockerChecked("service", "scale", "web=5");
        Assert.Equal("web 5/5", Node(1).DockerChecked("service", "ls", "--format", "{{.Name}} {{.Replicas}}").Output.Trim());
        Assert.True(Poll.Until(() => ServiceProbes.Addresses(Node(2), "client", "tasks.web").Count == 5, Within), "tasks.web does not follow the scale up");
        Node(1).DockerChecked("service", "scale", "web=2");
        Assert.True(Poll.Until(() => RunningTaskContainers() == 2, Within), "scaling down did not stop three tasks");
        Assert.True(Poll.Until(() => ServiceProbes.Addresses(Node(2), "client", "tasks.web").Count == 2, Within), "tasks.web does not follow the scale down");
        Assert.True(ServiceProbes.Answering(Node(2), "client", "web", 20).SetEquals(ServiceProbes.TaskContainerIds(Nodes, "web")), "the VIP still sends connections to tasks that were stopped");

        // A task's container killed on its node: the restart policy (delay 1 s) puts a new task in its slot.
        string victim = Node(3).DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=web").Output.Trim();
        var onNode = victim.Length > 0 ? Node(3) : Node(2);
        victim = onNode.DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=web").Output.Split('\n')[0].Trim();
        onNode.DockerChecked("kill", victim);
        // Until the kill is recorded (the failed task in the history) and its replacement runs: right after the kill the two
        // running tasks may still be the old ones.
        Assert.True(Poll.Until(() => Node(1).DockerChecked("service", "ps", "web", "--format", "{{.CurrentState}}").Output.Contains("Failed", StringComparison.Ordinal)
            && Node(1).DockerChecked("service", "ps", "web", "--filter", "desired-state=running", "--format", "{{.CurrentState}}").Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries) is { Length: 2 } states && states.All(s => s.StartsWith("Running", StringComparison.Ordinal)), Within),
            "the killed task was not recorded as failed and replaced:\n" + Node(1).Docker("service", "ps", "web").Output);

        // Removed: no task container left on any node.
        Node(1).DockerChecked("service", "rm", "web");
        Assert.True(Poll.Until(() => RunningTaskContainers() == 0 && AllTaskContainers() == 0, Within), "service rm left task containers");
        Assert.Empty(Node(1).DockerChecked("service", "ls", "-q").Output.Trim());
        Node(2).DockerChecked("rm", "-f", "client");
    }

    private int RunningTaskContainers() =>
        Nodes.Sum(node => node.DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=web").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

    private int AllTaskContainers() =>
        Nodes.Sum(node => node.DockerChecked("ps", "-aq", "--filter", "label=com.docker.swarm.service.name=web").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
}
