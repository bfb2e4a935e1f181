using System.Diagnostics;
using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// What the chaos scenarios look at, each as "what is not right yet" (null: converged), so one poll waits for all of
/// it and its time is the recovery time: every node's own task containers, the slots they hold, <c>tasks.web</c> and
/// the VIP from a client container on a node, the routing mesh from a host on the LAN.
/// </summary>
public sealed partial class ClusterChaosTests
{
    private sealed record TaskContainer(int Node, string Id, string Name)
    {
        /// <summary>The slot of a replicated task (<c>web.3.&lt;task id&gt;</c>).</summary>
        public string Slot => Name.Split('.')[1];
    }

    /// <summary>The service's running task containers as node <paramref name="node"/>'s own berthd lists them (its unix socket: a cut node still answers).</summary>
    private List<TaskContainer> TaskContainers(int node) =>
        [.. Lines(Node(node).DockerChecked("ps", "--filter", "label=com.docker.swarm.service.name=" + Service,
                "--format", "{{.ID}} {{.Label \"com.docker.swarm.task.name\"}}"))
            .Select(line => line.Split(' ')).Select(f => new TaskContainer(node, f[0], f[1]))];

    private List<TaskContainer> AllTaskContainers() => [.. Enumerable.Range(1, Nodes.Count).SelectMany(TaskContainers)];

    /// <summary>"No task runs twice for one slot": exactly one running container for each of slots 1…<paramref name="replicas"/>, across every node.</summary>
    private string? SlotsWrong(int replicas)
    {
        var running = AllTaskContainers();
        var slots = running.GroupBy(t => t.Slot).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        bool right = slots.Count == replicas && slots.Values.All(count => count == 1)
            && Enumerable.Range(1, replicas).All(slot => slots.ContainsKey(slot.ToString(CultureInfo.InvariantCulture)));
        return right ? null : "not one running task per slot: " + string.Join(", ", running.Select(t => $"{t.Name}@node{t.Node}"));
    }

    /// <summary>The address of a task container on the overlay <see cref="Network"/>.</summary>
    private string AddressOf(TaskContainer task) =>
        Node(task.Node).DockerChecked("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{Network}\").IPAddress}}}}", task.Id).Output.Trim();

    /// <summary>
    /// The service as clients see it from the client container on each of <paramref name="clientNodes"/>: <c>tasks.web</c>
    /// names exactly the running tasks' addresses, and every connection through the VIP is answered by a running task
    /// (those of node <paramref name="except"/> left out: it is cut off, and what it still runs is no longer the service's).
    /// </summary>
    private string? NamesWrong(int[] clientNodes, int except = 0)
    {
        var running = Enumerable.Range(1, Nodes.Count).Where(node => node != except).SelectMany(TaskContainers).ToList();
        var addresses = running.Select(AddressOf).Order(StringComparer.Ordinal).ToList();
        var ids = running.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        foreach (int node in clientNodes)
        {
            var named = Nslookup.AddressesOrNone(Node(node), Client, "tasks." + Service);
            if (!named.SequenceEqual(addresses))
            {
                return $"tasks.{Service} from node{node} names {string.Join(",", named)}, the running tasks are at {string.Join(",", addresses)}";
            }

            var answers = Lines(Node(node).Docker("exec", Client, "sh", "-c", $"for i in $(seq {VipRequests}); do nc -w 2 {Service} 8080; done"));
            if (answers.Length != VipRequests || !answers.All(ids.Contains))
            {
                return $"through the VIP from node{node}: {answers.Length} of {VipRequests} answered, by {string.Join(",", answers.Distinct())}; running: {string.Join(",", ids)}";
            }
        }

        return null;
    }

    /// <summary>The routing mesh: the published port answers on every node's address, from a host on the LAN, with a running task.</summary>
    private string? MeshWrong(LabHost outsider)
    {
        var ids = AllTaskContainers().Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        for (int node = 1; node <= Nodes.Count; node++)
        {
            var answer = outsider.Exec("busybox", "nc", "-w", "2", Address(node), "8080");
            if (!ids.Contains(answer.Output.Trim()))
            {
                return $"the routing mesh on node{node} answered \"{answer.Output.Trim()}\" ({answer.Error.Trim()}); running: {string.Join(",", ids)}";
            }
        }

        return null;
    }

    /// <summary>Every node Ready in <c>node ls</c> as <paramref name="manager"/> sees it.</summary>
    private string? NodesWrong(int manager)
    {
        var list = NodeListOrEmpty(Node(manager));
        return list.Count == Nodes.Count && list.Values.All(v => v.Contains("|Ready|", StringComparison.Ordinal))
            ? null : $"node ls on node{manager}: " + string.Join("; ", list.Select(kv => $"{kv.Key} {kv.Value}"));
    }

    /// <summary>The first of <paramref name="checks"/> that is not right yet (null: all are).</summary>
    private static string? FirstWrong(params Func<string?>[] checks) => checks.Select(check => check()).FirstOrDefault(wrong => wrong is not null);

    /// <summary>
    /// Polls until <paramref name="notYet"/> finds nothing wrong (fails with what it found last after <paramref name="within"/>);
    /// returns the milliseconds since <paramref name="since"/>.
    /// </summary>
    private long Converge(Stopwatch since, TimeSpan within, string what, Func<string?> notYet)
    {
        string? last = null;
        if (!Poll.Until(() => (last = notYet()) is null, within))
        {
            Assert.Fail($"{what}: not converged {since.Elapsed.TotalSeconds:0.0} s on: {last}\n{Describe()}\nwhole logs: {KeepLogs()}");
        }

        long elapsed = since.ElapsedMilliseconds;
        output.WriteLine($"{what}: {elapsed / 1000.0:0.0} s");
        return elapsed;
    }

    /// <summary>The scenario's line for a benchmark to parse: <c>chaos: NAME recovered_ms=N [key=value…]</c>.</summary>
    private void Report(string scenario, long recoveredMs, params (string Key, long Value)[] more) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"chaos: {scenario} recovered_ms={recoveredMs}{string.Concat(more.Select(m => string.Create(CultureInfo.InvariantCulture, $" {m.Key}={m.Value}")))}"));

    /// <summary>Every node's view, for failure messages.</summary>
    private string Describe() =>
        "service ps:\n" + (Nodes.FirstOrDefault(n => n.IsRunning && n.Docker("service", "ls").Succeeded)?.Docker("service", "ps", "--no-trunc", Service).Output ?? "(no manager answers)")
        + "\n" + string.Join("\n", Enumerable.Range(1, Nodes.Count).Select(node => Node(node).IsRunning
            ? $"node{node}: " + string.Join(", ", TaskContainers(node).Select(t => t.Name))
            : $"node{node}: berthd down"))
        + "\ncut: " + string.Join(",", Underlay.Cut)
        + string.Concat(Enumerable.Range(1, Nodes.Count).Select(node => $"\n--- node{node}'s berthd, its last {LogTail} lines ---\n"
            + string.Join("\n", Node(node).Log.Split('\n').TakeLast(LogTail))));

    /// <summary>Every berthd's whole log, kept past the test's teardown for a failure's reader; returns where.</summary>
    private string KeepLogs()
    {
        string directory = Path.Combine(Path.GetTempPath(), "berth-chaos-logs", Path.GetFileName(TestRoot));
        Directory.CreateDirectory(directory);
        for (int node = 1; node <= Nodes.Count; node++)
        {
            File.WriteAllText(Path.Combine(directory, $"node{node}.log"), Node(node).Log);
        }

        return directory;
    }

    /// <summary>How much of each berthd's log a failure shows.</summary>
    private const int LogTail = 40;

    private static string[] Lines(CmdResult result) => result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
