using System.Collections.Immutable;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Swarm;

/// <summary><c>swarm/cluster</c>: the swarm as every manager sees it.</summary>
public sealed record ClusterRecord
{
    /// <summary>Docker's default pool for overlay subnets, and the prefix length of each.</summary>
    public static readonly ImmutableArray<string> DefaultAddressPool = ["10.0.0.0/8"];
    public const int DefaultSubnetSize = 24;

    /// <summary>VXLAN's IANA port.</summary>
    public const int DefaultDataPathPort = 4789;

    public required ClusterId Id { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required ClusterSpecRecord Spec { get; init; }

    /// <summary>The root CA certificate (PEM): what join tokens pin.</summary>
    public required string CaCertificate { get; init; }

    /// <summary><c>swarm ca --rotate</c> under way (the new root, how far it got), or null.</summary>
    public RootRotationRecord? RootRotation { get; init; }

    public required string WorkerToken { get; init; }

    public required string ManagerToken { get; init; }

    public ImmutableArray<string> DefaultAddrPool { get; init; } = DefaultAddressPool;

    public int SubnetSize { get; init; } = DefaultSubnetSize;

    public int DataPathPort { get; init; } = DefaultDataPathPort;

    /// <summary>
    /// The external etcd this swarm lives in (<c>--cluster-store</c>): its etcd cluster id, which every joining node's
    /// own store must have, and the URL it was named by (for messages); both null when the managers run its etcd.
    /// </summary>
    public string? ClusterStoreId { get; init; }

    public string? ClusterStoreUrl { get; init; }
}
