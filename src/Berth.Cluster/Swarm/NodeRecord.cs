using System.Collections.Immutable;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Swarm;

/// <summary><c>swarm/nodes/&lt;id&gt;</c>: a node's spec (role, availability, labels), its description and its addresses.</summary>
public sealed record NodeRecord
{
    public required NodeId Id { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The role the node should have (<c>node promote/demote</c> change it); its certificate follows.</summary>
    public required ClusterRole Role { get; init; }

    public NodeAvailability Availability { get; init; } = NodeAvailability.Active;

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary><c>Spec.Name</c>, set by users only.</summary>
    public string? Name { get; init; }

    public required SwarmHostFacts Host { get; init; }

    /// <summary>The IP other nodes reach this one at.</summary>
    public required string Address { get; init; }

    /// <summary>A manager's etcd member: its client URL (health) and peer URL (membership); null on workers.</summary>
    public Uri? EtcdClientUrl { get; init; }

    public Uri? EtcdPeerUrl { get; init; }
}
