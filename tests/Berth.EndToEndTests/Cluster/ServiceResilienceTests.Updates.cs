using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>Rolling updates under load and updates that race: none may lose a request or a write.</summary>
public sealed partial class ServiceResilienceTests
{
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
    public void AStaleVersionIsRefusedOutOfSequenceAndOfTwoRacingUpdatesOneWins()
    {
        Swarm(managers: 1, workers: 1);
        Node(1).DockerChecked(["service", "create", "--name", Service, "--replicas", "2", "--network", Network, "--update-parallelism", "0", .. Quick, "bb:latest", .. WhoAmI]);
        string id = Node(1).DockerChecked("service", "inspect", "-f", "{{.ID}}", Service).Output.Trim();
        long stale = Version();
        var staleSpec = JsonNode.Parse(Node(1).DockerChecked("service", "inspect", "-f", "{{json .Spec}}", Service).Output)!;
        Node(1).DockerChecked("service", "update", "--env-add", "GENERATION=2", Service);
        // The update's end is written to the service too (UpdateStatus, a new Version.Index, as in Docker): read after it.
        Assert.True(Poll.Until(() => Node(1).DockerChecked("service", "inspect", "-f", "{{.UpdateStatus.State}}", Service).Output.Trim() == "completed", Within), Describe());
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

    /// <summary><c>POST /services/{id}/update?version=</c> straight over node1's socket: the status and the body.</summary>
    private (int Status, string Body) Update(string id, long version, JsonNode spec)
    {
        var result = Cmd.Check("curl", "-s", "--unix-socket", Node(1).Socket, "-X", "POST", "-H", "Content-Type: application/json", "-d", spec.ToJsonString(),
            "-w", "\n%{http_code}", $"http://berth/v1.45/services/{id}/update?version={version.ToString(CultureInfo.InvariantCulture)}");
        int newline = result.LastIndexOf('\n');
        return (int.Parse(result[(newline + 1)..].Trim(), CultureInfo.InvariantCulture), result[..newline]);
    }
}
