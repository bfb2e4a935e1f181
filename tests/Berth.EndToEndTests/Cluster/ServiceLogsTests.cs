using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// <c>docker service logs</c> with the real CLI on a manager: the lines of a task on the manager and of one on the
/// worker (fetched over the node channel, TCP 7946 with mutual TLS) in one stream, each as the CLI prints it
/// (<c>talk.node.task@node | line</c>, which needs node, service and task id in every line's details), one task's alone,
/// and with the worker down the manager's lines followed by Docker's "incomplete log stream" warning.
/// </summary>
public sealed class ServiceLogsTests : ClusterTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [RootFact]
    public void ServiceLogsGatherTheLinesOfEveryTaskFromEveryNode()
    {
        StartNodes(2);
        var (workerToken, _) = InitSwarm();
        Node(2).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        foreach (var node in Nodes)
        {
            BusyboxImage.Import(node, TestRoot);
        }

        Assert.True(Poll.Until(() => Node(1).DockerChecked("node", "ls", "--format", "{{.Status}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            is { Length: 2 } states && states.All(state => state == "Ready"), Within), "the worker is not ready");

        // Global: one task on each node; each says where it runs, on stdout and on stderr.
        Node(1).DockerChecked("service", "create", "--name", "talk", "--mode", "global", "--no-resolve-image", "bb:latest",
            "sh", "-c", "echo out from $(hostname); echo err from $(hostname) >&2; sleep 600");
        var tasks = Node(1).DockerChecked("service", "ps", "talk", "--format", "{{.ID}} {{.Node}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, tasks.Length);
        // The lab's nodes share a host name: a task is told by its container (whose short id is its hostname).
        string[] containers = [.. Nodes.Select(node => node.DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=talk").Output.Trim())];
        Assert.All(containers, container => Assert.Matches("^[0-9a-f]{12}$", container));

        string[] lines = [];
        Assert.True(Poll.Until(() => (lines = LogLines(Node(1).DockerChecked("service", "logs", "talk"))).Length == 4, Within),
            $"service logs did not give four lines: {string.Join(" / ", lines)}");
        foreach (string task in tasks)
        {
            string[] parts = task.Split(' ');
            // The CLI's prefix: talk.<node id>.<task id>@<node name> | (it asks /tasks, /nodes and /services to print it).
            var ofTask = lines.Where(line => line.Contains($".{parts[0]}@", StringComparison.Ordinal)).ToList();
            Assert.True(ofTask.Count == 2, $"not two lines of task {parts[0]}: {string.Join(" / ", lines)}");
            Assert.All(ofTask, line => Assert.Matches(@"^talk\.[0-9a-z]+\.[0-9a-z]+@\S+\s+\| (out|err) from [0-9a-f]{12}$", line));
        }

        // The worker's task's lines came from the worker (over the node channel), the manager's from the manager.
        foreach (string container in containers)
        {
            Assert.Contains(lines, line => line.EndsWith($"| out from {container}", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.EndsWith($"| err from {container}", StringComparison.Ordinal));
        }

        // One task by id (the worker's too): its two lines only.
        foreach (string task in tasks)
        {
            string id = task.Split(' ')[0];
            var own = LogLines(Node(1).DockerChecked("service", "logs", "--no-trunc", id));
            Assert.Equal(2, own.Length);
            Assert.All(own, line => Assert.Contains(id, line, StringComparison.Ordinal));
        }

        // --raw: the bare lines; with timestamps (the CLI prints them first), the details still parse.
        var raw = LogLines(Node(1).DockerChecked("service", "logs", "--raw", "talk"));
        Assert.Equal(4, raw.Length);
        Assert.All(raw, line => Assert.Matches(@"^(out|err) from [0-9a-f]{12}$", line));
        var stamped = LogLines(Node(1).DockerChecked("service", "logs", "-t", "talk"));
        Assert.All(stamped, line => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z talk\.\S+@\S+\s+\| (out|err) from", line));

        // The worker's berthd gone: the manager's lines still come, then Docker's warning naming the node (the CLI fails).
        Node(2).Kill();
        var partial = Node(1).Docker("service", "logs", "talk");
        Assert.False(partial.Succeeded);
        Assert.Contains("incomplete log stream", partial.Error, StringComparison.Ordinal);
        Assert.Contains("is not available", partial.Error, StringComparison.Ordinal);
        Assert.Contains($"| out from {containers[0]}", partial.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"from {containers[1]}", partial.Output + partial.Error, StringComparison.Ordinal);
        Node(2).Start();

        Node(1).DockerChecked("service", "rm", "talk");
        Assert.True(Poll.Until(() => Nodes.All(node => node.DockerChecked("ps", "-aq", "--filter", "label=com.docker.swarm.service.name=talk").Output.Trim().Length == 0), Within),
            "service rm left task containers");
    }

    /// <summary>The lines the CLI printed: a task's stdout lines on its stdout, its stderr lines on its stderr.</summary>
    private static string[] LogLines(Berth.Linux.IntegrationTests.Fixtures.CmdResult result) =>
        (result.Output + "\n" + result.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
