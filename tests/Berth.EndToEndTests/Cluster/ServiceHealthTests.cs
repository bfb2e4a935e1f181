using System.Globalization;
using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// Health drives a swarm service as it does Docker's, with the real docker CLI across the lab's nodes: a task is in its
/// service's rotation (the VIP's backends, <c>tasks.NAME</c>) only while healthy; an unhealthy one leaves it at once —
/// while its container still runs — then fails with Docker's cause (<c>dockerexec: unhealthy container</c>) and its
/// slot gets a new task, which joins the rotation once healthy.
/// </summary>
public sealed class ServiceHealthTests(ITestOutputHelper output) : ClusterTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    /// <summary>The bound on how long an unhealthy task stays in rotation, plus what observing it costs (a docker exec of nslookup).</summary>
    private static readonly TimeSpan OutOfRotationWithin = TimeSpan.FromSeconds(2);

    /// <summary>Healthy while /tmp/ok exists; the task answers its hostname (its container's short id) on 8080.</summary>
    private static readonly string[] HealthyWhileFileExists =
        ["--health-cmd", "test -f /tmp/ok", "--health-interval", "1s", "--health-timeout", "2s", "--health-retries", "1"];

    private static readonly string[] WhoAmI = ["sh", "-c", "touch /tmp/ok; exec nc -ll -p 8080 -e hostname"];

    [RootFact]
    public void AnUnhealthyTaskLeavesTheRotationAtOnceFailsAndIsReplaced()
    {
        StartWorkerSwarm(3);
        Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", "web-net");

        // The CLI waits for three running tasks, and a task with a healthcheck runs only once healthy. nc as PID 1
        // ignores SIGTERM: a stop takes the whole grace period, so an unhealthy task's container runs on for 10 s.
        Node(1).DockerChecked(["service", "create", "--name", "web", "--replicas", "3", "--network", "web-net", .. HealthyWhileFileExists,
            "--stop-grace-period", "10s", "--restart-delay", "1s", "--no-resolve-image", "bb:latest", .. WhoAmI]);
        Assert.Equal("web 3/3", Node(1).DockerChecked("service", "ls", "--format", "{{.Name}} {{.Replicas}}").Output.Trim());
        Assert.All(TaskStates(), state => Assert.StartsWith("Running", state, StringComparison.Ordinal));

        Node(2).DockerChecked("run", "-d", "--network", "web-net", "--name", "client", "bb:latest", "sleep", "600");
        Assert.True(Poll.Until(() => ServiceProbes.Addresses(Node(2), "client", "tasks.web").Count == 3, Within), "tasks.web does not list three tasks");
        Assert.True(Poll.Until(() => ServiceProbes.Answering(Node(2), "client", "web", 30).SetEquals(ServiceProbes.TaskContainerIds(Nodes, "web")), Within),
            "not every task answers through the VIP");

        // The task on node 3 loses its file: its next probe marks it unhealthy.
        string victim = Node(3).DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=web").Output.Trim();
        string address = Node(3).DockerChecked("inspect", "-f", "{{(index .NetworkSettings.Networks \"web-net\").IPAddress}}", victim).Output.Trim();
        Assert.Contains(address, ServiceProbes.Addresses(Node(2), "client", "tasks.web"));
        Node(3).DockerChecked("exec", victim, "rm", "/tmp/ok");

        // Out of tasks.web on another node within the bound of the probe that found it unhealthy.
        Assert.True(Poll.Until(() => !ServiceProbes.Addresses(Node(2), "client", "tasks.web").Contains(address), Within), "the unhealthy task stays in tasks.web");
        var seenGone = DateTimeOffset.UtcNow;
        var markedAt = UnhealthyAt(victim);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seen out of tasks.web {(seenGone - markedAt).TotalMilliseconds:0} ms after the probe that marked it unhealthy ended"));
        Assert.True(seenGone - markedAt < OutOfRotationWithin,
            string.Create(CultureInfo.InvariantCulture, $"the task left tasks.web {(seenGone - markedAt).TotalMilliseconds:0} ms after it was marked unhealthy"));

        // No connection through the VIP reaches it, while its container still runs (taken out by its health, not its exit).
        var answering = ServiceProbes.Answering(Node(2), "client", "web", 40);
        Assert.DoesNotContain(victim, answering);
        Assert.Equal(2, answering.Count);
        Assert.Equal("true unhealthy", Node(3).DockerChecked("inspect", "-f", "{{.State.Running}} {{.State.Health.Status}}", victim).Output.Trim());

        // Stopped by its node, the task fails with Docker's cause and a new task takes its slot.
        Assert.True(Poll.Until(() => Node(1).DockerChecked("service", "ps", "web", "--no-trunc", "--format", "{{.CurrentState}}|{{.Error}}").Output
            .Split('\n').Any(line => line.StartsWith("Failed", StringComparison.Ordinal) && line.Contains("task: non-zero exit (137): dockerexec: unhealthy container", StringComparison.Ordinal)), Within),
            "the unhealthy task is not failed with Docker's cause:\n" + Node(1).DockerChecked("service", "ps", "web", "--no-trunc").Output);
        Assert.True(Poll.Until(() => TaskStates() is { Count: 3 } states && states.All(s => s.StartsWith("Running", StringComparison.Ordinal)), Within),
            "the failed task was not replaced by a running one");

        // Back to three tasks answering through the VIP and listed by tasks.web, the new one among them.
        var running = ServiceProbes.TaskContainerIds(Nodes, "web");
        Assert.DoesNotContain(victim, running);
        Assert.True(Poll.Until(() => ServiceProbes.Answering(Node(2), "client", "web", 30).SetEquals(running), Within), "the replacement does not answer through the VIP");
        Assert.Equal(3, ServiceProbes.Addresses(Node(2), "client", "tasks.web").Count);

        Node(1).DockerChecked("service", "rm", "web");
        Assert.True(Poll.Until(() => Nodes.All(node => node.DockerChecked("ps", "-aq", "--filter", "label=com.docker.swarm.service.name=web").Output.Trim().Length == 0), Within),
            "service rm left task containers");
        Node(2).DockerChecked("rm", "-f", "client");
    }

    /// <summary>The current state of every task desired running (<c>Running 3 seconds ago</c>, <c>Starting …</c>).</summary>
    private List<string> TaskStates() =>
        [.. Node(1).DockerChecked("service", "ps", "web", "--filter", "desired-state=running", "--format", "{{.CurrentState}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>When the probe that marked the container unhealthy ended (its first failure: retries is 1), from its health log.</summary>
    private DateTimeOffset UnhealthyAt(string container)
    {
        using var log = JsonDocument.Parse(Node(3).DockerChecked("inspect", "-f", "{{json .State.Health.Log}}", container).Output);
        var failed = log.RootElement.EnumerateArray().First(probe => probe.GetProperty("ExitCode").GetInt32() != 0);
        return DateTimeOffset.Parse(failed.GetProperty("End").GetString()!, CultureInfo.InvariantCulture);
    }
}
