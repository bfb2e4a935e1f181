using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary><c>deploy.placement</c>.</summary>
public sealed record ComposePlacement
{
    /// <summary><c>node.role == manager</c>, … as written.</summary>
    public ImmutableArray<string> Constraints { get; init; } = [];

    /// <summary>The <c>spread:</c> descriptor of each preference (<c>node.labels.zone</c>).</summary>
    public ImmutableArray<string> Preferences { get; init; } = [];

    /// <summary><c>max_replicas_per_node</c>; 0 when not set.</summary>
    public ulong MaxReplicasPerNode { get; init; }
}
