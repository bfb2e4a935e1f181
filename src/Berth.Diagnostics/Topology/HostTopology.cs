using System.Collections.Immutable;

namespace Berth.Diagnostics.Topology;

/// <summary>
/// One host's networks as the guide draws them, read live: the interfaces that matter, every network with what its
/// driver made on the host and the containers on it, the published ports, and (on a swarm manager) the nodes and the
/// service tasks on each overlay. Addresses are text (<c>192.168.1.50/24</c>) because every reader only shows them.
/// A part that could not be read is left out and named in <see cref="Notes"/>.
/// </summary>
public sealed record HostTopology
{
    public required string HostName { get; init; }

    public required DateTimeOffset Taken { get; init; }

    public ImmutableArray<TopologyInterface> Interfaces { get; init; } = [];

    public ImmutableArray<TopologyNetwork> Networks { get; init; } = [];

    public ImmutableArray<TopologyPort> Ports { get; init; } = [];

    /// <summary>The swarm's nodes, when this node is a manager; empty otherwise.</summary>
    public ImmutableArray<TopologyNode> Nodes { get; init; } = [];

    /// <summary>What could not be read, one sentence each (<c>the swarm nodes could not be read: …</c>).</summary>
    public ImmutableArray<string> Notes { get; init; } = [];
}
