using System.Collections.Immutable;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Services;

/// <summary>A service's placement, parsed once: constraints, spread preferences, max replicas per node, platforms, reservations.</summary>
public sealed record ServicePlacementRules(ServiceId Service, IReadOnlyList<PlacementConstraint> Constraints)
{
    /// <summary>Label descriptors (<c>node.labels.zone</c>), most significant first.</summary>
    public ImmutableArray<string> Spread { get; init; } = [];

    /// <summary>0: no limit.</summary>
    public ulong MaxReplicas { get; init; }

    public ImmutableArray<string> Platforms { get; init; } = [];

    public TaskResources Resources { get; init; } = new();

    /// <summary>The rules of <paramref name="spec"/>; InvalidArgument when a constraint does not read.</summary>
    public static ServicePlacementRules From(ServiceId service, TaskSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ServicePlacementRules(service, PlacementConstraint.ParseAll(spec.Placement.Constraints))
        {
            Spread = [.. spec.Placement.Spread.Select(s => s.StartsWith("spread=", StringComparison.Ordinal) ? s["spread=".Length..] : s)],
            MaxReplicas = spec.Placement.MaxReplicas,
            Platforms = spec.Placement.Platforms,
            Resources = spec.Resources,
        };
    }
}

/// <summary>A task that holds its node: a service's, on a node, with what it reserves.</summary>
public sealed record ScheduledTask(ServiceId Service, NodeId Node, TaskResources Reserved);

/// <summary>Where a new task goes: a node, or none with Docker's reason (<c>no suitable node (…)</c>).</summary>
public sealed record PlacementDecision(NodeId? Node, string Message);
