using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>What the tests look at: each node's task containers, answers through the VIP, names, the service's tasks.</summary>
public sealed partial class ServiceResilienceTests
{
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

    /// <summary>The addresses a container resolves a name to (none while it cannot).</summary>
    private List<string> TaskAddresses(int node, string container, string name) => [.. Nslookup.AddressesOrNone(Node(node), container, name)];

    private static string[] Lines(CmdResult result) => result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
