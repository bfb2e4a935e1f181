using System.Collections.Immutable;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Swarm;

/// <summary>
/// A manager's answer to a join: the node's id, role and signed certificate, the CA, where the cluster store is,
/// and for a manager the etcd cluster its new member starts into (it has been added as a learner).
/// </summary>
public sealed record JoinAnswer
{
    public required NodeId Node { get; init; }

    public required ClusterId Cluster { get; init; }

    public required ClusterRole Role { get; init; }

    public required string Certificate { get; init; }

    public required string CaCertificate { get; init; }

    public required ImmutableArray<Uri> EtcdEndpoints { get; init; }

    /// <summary>A manager's secret that opens the CA key in etcd, base64; null for a worker.</summary>
    public string? CaKeySecret { get; init; }

    /// <summary><c>name=peer-url</c> of every member, the new one included; empty for a worker.</summary>
    public ImmutableArray<string> EtcdInitialCluster { get; init; } = [];
}
