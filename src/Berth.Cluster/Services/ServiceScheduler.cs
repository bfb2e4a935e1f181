using Berth.Cluster.Identity;

namespace Berth.Cluster.Services;

/// <summary>
/// Decides a new task's node (swarmkit's scheduler pipeline, pure): ready and active nodes only, then resources,
/// constraints, platform and max replicas per node, each rejection counted for the message; among the nodes left,
/// spread preferences (the label value groups holding fewest of the service's tasks), then fewest tasks of the service,
/// then fewest tasks overall, ties by node id. Each placement is remembered, so a pass that places many tasks spreads them.
/// </summary>
public sealed class ServiceScheduler
{
    private readonly IReadOnlyList<SchedulerNode> _nodes;
    private readonly List<ScheduledTask> _tasks;

    /// <param name="tasks">The tasks that hold a node (desired running, not finished), of every service.</param>
    public ServiceScheduler(IEnumerable<SchedulerNode> nodes, IEnumerable<ScheduledTask> tasks)
    {
        _nodes = [.. nodes.OrderBy(n => n.Id.Value, StringComparer.Ordinal)];
        _tasks = [.. tasks];
    }

    public IReadOnlyList<SchedulerNode> Nodes => _nodes;

    /// <summary>Picks a node for one new task of the service and counts it there; a decision without a node says why.</summary>
    public PlacementDecision Place(ServicePlacementRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var rejected = new Dictionary<string, int>(StringComparer.Ordinal);
        var candidates = new List<SchedulerNode>();
        foreach (SchedulerNode node in _nodes)
        {
            if (Rejection(rules, node, checkMaxReplicas: true) is { } reason)
            {
                rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
            }
            else
            {
                candidates.Add(node);
            }
        }

        if (candidates.Count == 0)
        {
            return new PlacementDecision(null, NoSuitableNode(rejected));
        }

        candidates = Spread(rules, candidates);
        SchedulerNode chosen = candidates
            .OrderBy(n => CountOf(rules.Service, n.Id))
            .ThenBy(n => CountOf(null, n.Id))
            .ThenBy(n => n.Id.Value, StringComparer.Ordinal)
            .First();
        _tasks.Add(new ScheduledTask(rules.Service, chosen.Id, rules.Resources) { HostPorts = rules.HostPorts });
        return new PlacementDecision(chosen.Id, "");
    }

    /// <summary>
    /// Whether a global service's task belongs on <paramref name="node"/> (ready, active, constraints, platform and
    /// resources, host ports; max replicas does not apply: one task per node). Null when it does, else why not.
    /// </summary>
    public string? Ineligible(ServicePlacementRules rules, NodeId node)
    {
        ArgumentNullException.ThrowIfNull(rules);
        SchedulerNode? found = _nodes.FirstOrDefault(n => n.Id == node);
        return found is null ? "node is not in the swarm" : Rejection(rules, found, checkMaxReplicas: false);
    }

    /// <summary>Records a task placed outside <see cref="Place"/> (a global task, one on its node).</summary>
    public void Add(ScheduledTask task) => _tasks.Add(task);

    private string? Rejection(ServicePlacementRules rules, SchedulerNode node, bool checkMaxReplicas)
    {
        if (!node.Schedulable)
        {
            return "not available for new tasks";
        }

        if (!HasResources(rules, node))
        {
            return "insufficient resources";
        }

        if (!rules.Constraints.All(c => c.Matches(node)))
        {
            return "scheduling constraints not satisfied";
        }

        if (!rules.Platforms.IsDefaultOrEmpty && !rules.Platforms.Any(p => PlatformMatches(p, node)))
        {
            return "unsupported platform";
        }

        if (!rules.HostPorts.IsDefaultOrEmpty && _tasks.Any(t => t.Node == node.Id && !t.HostPorts.IsDefaultOrEmpty && t.HostPorts.Intersect(rules.HostPorts).Any()))
        {
            return HostPortReason;
        }

        if (checkMaxReplicas && rules.MaxReplicas > 0 && (ulong)CountOf(rules.Service, node.Id) >= rules.MaxReplicas)
        {
            return MaxReplicasReason;
        }

        return null;
    }

    private const string MaxReplicasReason = "max replicas per node limit exceed";
    private const string HostPortReason = "host-mode port already in use";

    /// <summary>swarmkit's explanation: each filter's count, in the pipeline's order, joined by "; ".</summary>
    private static string NoSuitableNode(Dictionary<string, int> rejected)
    {
        if (rejected.Count == 0)
        {
            return "no suitable node";
        }

        string[] order = ["not available for new tasks", "insufficient resources", "scheduling constraints not satisfied", "unsupported platform", HostPortReason, MaxReplicasReason];
        var parts = order.Where(rejected.ContainsKey).Select(reason => reason switch
        {
            MaxReplicasReason => reason,
            "not available for new tasks" => rejected[reason] == 1 ? "1 node not available for new tasks" : $"{rejected[reason]} nodes not available for new tasks",
            _ => $"{reason} on {rejected[reason]} node{(rejected[reason] == 1 ? "" : "s")}",
        });
        return $"no suitable node ({string.Join("; ", parts)})";
    }

    private List<SchedulerNode> Spread(ServicePlacementRules rules, List<SchedulerNode> candidates)
    {
        foreach (string descriptor in rules.Spread)
        {
            // Groups are formed over every schedulable node, so a group whose nodes are full still counts its tasks.
            var groupCounts = _nodes.Where(n => n.Schedulable)
                .GroupBy(n => LabelValue(descriptor, n), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(n => CountOf(rules.Service, n.Id)), StringComparer.Ordinal);
            int fewest = candidates.Min(n => groupCounts.GetValueOrDefault(LabelValue(descriptor, n)));
            candidates = [.. candidates.Where(n => groupCounts.GetValueOrDefault(LabelValue(descriptor, n)) == fewest)];
        }

        return candidates;
    }

    private static string LabelValue(string descriptor, SchedulerNode node)
    {
        string lower = descriptor.ToLowerInvariant();
        return lower.StartsWith(PlacementConstraint.NodeLabelPrefix, StringComparison.Ordinal)
            ? node.Labels.GetValueOrDefault(descriptor[PlacementConstraint.NodeLabelPrefix.Length..]) ?? ""
            : lower.StartsWith(PlacementConstraint.EngineLabelPrefix, StringComparison.Ordinal)
                ? node.EngineLabels.GetValueOrDefault(descriptor[PlacementConstraint.EngineLabelPrefix.Length..]) ?? ""
                : "";
    }

    private bool HasResources(ServicePlacementRules rules, SchedulerNode node)
    {
        var held = _tasks.Where(t => t.Node == node.Id).ToList();
        bool cpu = rules.Resources.ReserveNanoCpus == 0 || node.NanoCpus == 0
            || held.Sum(t => t.Reserved.ReserveNanoCpus) + rules.Resources.ReserveNanoCpus <= node.NanoCpus;
        bool memory = rules.Resources.ReserveMemoryBytes == 0 || node.MemoryBytes == 0
            || held.Sum(t => t.Reserved.ReserveMemoryBytes) + rules.Resources.ReserveMemoryBytes <= node.MemoryBytes;
        return cpu && memory;
    }

    private static bool PlatformMatches(string platform, SchedulerNode node)
    {
        string[] parts = platform.Split('/');
        bool os = parts[0].Length == 0 || parts[0].Equals(node.Os, StringComparison.OrdinalIgnoreCase);
        bool arch = parts.Length < 2 || parts[1].Length == 0
            || SchedulerNode.NormaliseArchitecture(parts[1]) == SchedulerNode.NormaliseArchitecture(node.Architecture);
        return os && arch;
    }

    private int CountOf(ServiceId? service, NodeId node) => _tasks.Count(t => t.Node == node && (service is null || t.Service == service));
}
