using System.Diagnostics;
using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// A node rebooted under chaos, on a swarm another scenario built (a worker after the partitions, a manager that does
/// not lead after the leader's): everything of it SIGKILLed at once as a power cut would — berthd, its containers'
/// monitors (conmon) and processes, its etcd member — then berthd started again on the same <c>--root</c> and
/// <c>--exec-root</c>. The kernel's objects stay (the lab keeps the node's namespace): berthd must find which runs
/// died and take down what they left.
/// </summary>
public sealed partial class ClusterChaosTests
{
    /// <summary>A container Docker brings back after a reboot (<c>--restart unless-stopped</c>), on the overlay: once the swarm is back.</summary>
    private const string Keeper = "keeper";

    /// <summary>
    /// Reboots node <paramref name="node"/> (<see cref="Rounds"/> times) and waits until, from the kill: it is Ready
    /// in <paramref name="manager"/>'s <c>node ls</c> (a manager's own too, its etcd member back and healthy), its dead
    /// runs are recorded exited — task containers stay so (the swarm replaces a task, never restarts its container), the
    /// client (no restart policy) is started by hand, the keeper restarted by berthd — one running container per slot
    /// across all nodes, names and VIP from <paramref name="clients"/>, the mesh on every node, and nothing of the dead
    /// runs left on the node.
    /// </summary>
    private void RebootAndRecover(string scenario, int node, int manager, int[] clients, LabHost outsider, int replicas)
    {
        Node(node).DockerChecked("run", "-d", "--restart", "unless-stopped", "--network", Network, "--name", Keeper, "bb:latest", "sleep", "3600");
        bool isManager = EtcdPids(node).Length > 0;
        if (TaskContainers(node).Count == 0)
        {
            // A node that runs none of the service's tasks (they moved during the partitions): spread them again.
            Node(manager).DockerChecked("service", "update", "--force", Service);
            Converge(Stopwatch.StartNew(), WithinFailover, $"a task on node{node} after --force", () => TaskContainers(node).Count > 0 ? null : $"node{node} runs no task");
        }

        for (int round = 1; round <= Rounds; round++)
        {
            var before = RunningContainers(node);
            var kernel = KernelView(node);
            var clock = Stopwatch.StartNew();
            PowerCut(node, before);
            Restart(node);
            long ready = clock.ElapsedMilliseconds;

            // The dead runs recorded as ended, not adopted as running (before, a run on an overlay not loaded yet at the
            // start stayed "running": its endpoints published again, the VIP and tasks.web pointing at nothing).
            Converge(clock, WithinHeal, $"{scenario} {round}: the dead runs recorded exited", () => DeadRunsWrong(node, before));
            long recovered = Converge(clock, WithinHeal, $"{scenario} {round}: rebooted and converged", () => FirstWrong(
                () => NodesWrong(manager),
                () => isManager ? NodesWrong(node) ?? MemberWrong(node, asker: manager) : null,
                () => RestartedPerPolicyWrong(node, before),
                () => SlotsWrong(replicas),
                () => RebootLeftoversWrong(node, kernel),
                () => NamesWrong(clients),
                () => MeshWrong(outsider)));
            Assert.All(before.Where(c => c.Value.Name is not (Keeper or Client)), task => Assert.Equal("exited", Status(node, task.Key)));
            Report(scenario, recovered, ("berthd_ready_ms", ready));
        }
    }

    /// <summary>What a power cut does to node <paramref name="node"/>'s processes: all of them SIGKILLed at once.</summary>
    private void PowerCut(int node, IReadOnlyDictionary<string, (string Name, string Pid)> running)
    {
        var monitors = Lines(Cmd.Run("pgrep", "-f", "conmon .*" + NodeDirectory(node) + "/"));
        var etcd = EtcdPids(node);
        Cmd.Run("kill", ["-KILL", Node(node).Pid.ToString(CultureInfo.InvariantCulture), .. monitors, .. running.Values.Select(c => c.Pid), .. etcd]);
        Node(node).Kill();
        LeakGuard.KillEtcdUnder(NodeDirectory(node));
        output.WriteLine($"node{node} powered off: berthd, {etcd.Length} etcd, {monitors.Length} conmon and {running.Count} container processes SIGKILLed");
    }

    /// <summary>Node <paramref name="node"/>'s running containers: id → name and pid.</summary>
    private Dictionary<string, (string Name, string Pid)> RunningContainers(int node) =>
        Lines(Node(node).DockerChecked("ps", "--no-trunc", "--format", "{{.ID}}")).ToDictionary(
            id => id,
            id => Lines(Node(node).DockerChecked("inspect", "-f", "{{.Name}} {{.State.Pid}}", id))[0].Split(' ') is [var name, var pid] ? (name.TrimStart('/'), pid) : ("", "0"),
            StringComparer.Ordinal);

    private string Status(int node, string container) => Node(node).Docker("inspect", "-f", "{{.State.Status}}", container).Output.Trim();

    private string? DeadRunsWrong(int node, IReadOnlyDictionary<string, (string Name, string Pid)> before) =>
        before.Where(c => c.Value.Name != Keeper).Select(c => (c.Value.Name, Status: Status(node, c.Key))).FirstOrDefault(c => c.Status != "exited") is ({ } name, var status)
            ? $"{name}, whose processes were killed, is {status} on node{node}" : null;

    /// <summary>Docker's rules after a reboot: the keeper (unless-stopped) runs again, a new run; the client (no policy) stays exited until started by hand, which this does.</summary>
    private string? RestartedPerPolicyWrong(int node, IReadOnlyDictionary<string, (string Name, string Pid)> before)
    {
        var now = RunningContainers(node);
        var keeper = before.Single(c => c.Value.Name == Keeper);
        if (!now.TryGetValue(keeper.Key, out var run) || run.Pid == keeper.Value.Pid)
        {
            return $"{Keeper} (--restart unless-stopped) is {Status(node, keeper.Key)} on node{node}, not running again";
        }

        if (Status(node, Client) is "running")
        {
            return null;
        }

        var started = Node(node).Docker("start", Client);
        return started.Succeeded ? $"{Client} on node{node} just started" : $"{Client} on node{node} does not start: {started.Error.Trim()}";
    }

    /// <summary>The node's kernel objects that outlive berthd: container namespaces, overlay sandboxes, and how many veths pair with no running container (the mesh's entry).</summary>
    private sealed record KernelObjects(HashSet<string> Containers, HashSet<string> Sandboxes, int SpareVeths, string Listing);

    /// <summary>
    /// Every veth outside the containers (the node's namespace and its overlay sandboxes) pairs with one inside a running
    /// container, but for as many as the node's own pairs (the mesh's entry): a dead run's namespace that stayed would
    /// keep its pairs.
    /// </summary>
    private KernelObjects KernelView(int node)
    {
        string netns = Path.Combine(Node(node).ExecRoot, "netns");
        var veths = new Dictionary<string, string[]>(StringComparer.Ordinal) { [$"node{node}"] = Lines(NodeHost(node).Exec("ip", "-o", "link", "show", "type", "veth")) };
        foreach (string path in Directory.GetFiles(netns))
        {
            veths[Path.GetFileName(path)] = Lines(Cmd.Run("nsenter", "--net=" + path, "ip", "-o", "link", "show", "type", "veth"));
        }

        int inside = veths.Where(v => v.Key.StartsWith("c-", StringComparison.Ordinal)).Sum(v => v.Value.Length);
        string listing = string.Join("\n", veths.Select(v => $"{v.Key}: " + string.Join("; ", v.Value.Select(line => string.Join(' ', line.Split(' ').Skip(1).Take(1).Concat(line.Split(' ').SkipWhile(w => !w.StartsWith("link-netns", StringComparison.Ordinal)).Take(2)))))));
        return new KernelObjects(
            veths.Keys.Where(k => k.StartsWith("c-", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal),
            veths.Keys.Where(k => k.StartsWith("ov-", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal),
            veths.Values.Sum(v => v.Length) - 2 * inside,
            listing);
    }

    /// <summary>
    /// Nothing of the dead runs on node <paramref name="node"/>: container namespaces only for running containers,
    /// the same overlay sandboxes and spare veths as before the reboot, and no endpoint on the overlay but running
    /// containers' (a dead run's waited for the overlay to be loaded, then was released).
    /// </summary>
    private string? RebootLeftoversWrong(int node, KernelObjects before)
    {
        var running = RunningContainers(node).Keys.ToHashSet(StringComparer.Ordinal);
        var now = KernelView(node);
        if (!now.Containers.SetEquals(running.Select(id => "c-" + id[..12])))
        {
            return $"node{node}'s container namespaces [{string.Join(", ", now.Containers.Order())}], running [{string.Join(", ", running.Select(id => id[..12]))}]";
        }

        if (!now.Sandboxes.SetEquals(before.Sandboxes) || now.SpareVeths != before.SpareVeths)
        {
            return $"node{node}'s overlay sandboxes [{string.Join(", ", now.Sandboxes.Order())}] and {now.SpareVeths} veths without a running container; " +
                $"before the reboot [{string.Join(", ", before.Sandboxes.Order())}] and {before.SpareVeths}\nveths now:\n{now.Listing}\nbefore:\n{before.Listing}";
        }

        var attached = Lines(Node(node).DockerChecked("network", "inspect", "-f", "{{range $id, $c := .Containers}}{{$id}}\n{{end}}", Network));
        return attached.FirstOrDefault(id => !running.Contains(id)) is { } stale ? $"{Network} on node{node} still has an endpoint of {stale[..12]}, not running" : null;
    }

    /// <summary>Node <paramref name="node"/>'s etcd member runs once, is healthy, and <paramref name="asker"/>'s member lists three voters started.</summary>
    private string? MemberWrong(int node, int asker) => FirstWrong(
        () => EtcdPids(node).Length == 1 ? null : $"node{node}'s etcd processes: [{string.Join(",", EtcdPids(node))}]",
        () => Etcdctl(node, node, "endpoint", "health") is { Succeeded: true } ? null : $"node{node}'s member is not healthy",
        () => EtcdMembers(asker).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Count(line => line.Contains(", started, ", StringComparison.Ordinal) && line.EndsWith(", false", StringComparison.Ordinal)) == 3
            ? null : "members: " + EtcdMembers(asker));
}
