using System.Collections.Immutable;

namespace Berth.Cluster.Services;

/// <summary><c>--constraint</c>, <c>--placement-pref</c>, <c>--replicas-max-per-node</c>, as the user wrote them.</summary>
public sealed record TaskPlacement
{
    /// <summary>Expressions such as <c>node.role==manager</c> or <c>node.labels.zone != east</c>.</summary>
    public ImmutableArray<string> Constraints { get; init; } = [];

    /// <summary>Spread preferences: the descriptor of each <c>spread=…</c> (such as <c>node.labels.zone</c>), in order.</summary>
    public ImmutableArray<string> Spread { get; init; } = [];

    /// <summary>0: no limit.</summary>
    public ulong MaxReplicas { get; init; }

    /// <summary>Platforms the image runs on (<c>os/architecture</c>), as the CLI pins them; empty: any.</summary>
    public ImmutableArray<string> Platforms { get; init; } = [];
}
