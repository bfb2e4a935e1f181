using System.Collections.Immutable;
using Berth.Cluster.Identity;
using Berth.Store;

namespace Berth.Cluster.Swarm;

/// <summary>
/// What the layers beside the swarm (swarm-scoped networks) need of a live session: the cluster store with leases,
/// who and where this node is, and the cluster's settings for the data path. Told through
/// <see cref="SwarmNode.SessionChanged"/> each time a session opens (null when it closes).
/// </summary>
public sealed record SwarmSessionFacts
{
    public required IStateStore Store { get; init; }

    public required ILeaseStore Leases { get; init; }

    public required NodeId Node { get; init; }

    public required ClusterRole Role { get; init; }

    public required string AdvertiseAddress { get; init; }

    /// <summary><c>--data-path-addr</c>; empty: the advertise address carries the data path too.</summary>
    public string DataPathAddress { get; init; } = "";

    public ImmutableArray<string> DefaultAddrPool { get; init; } = ClusterRecord.DefaultAddressPool;

    public int SubnetSize { get; init; } = ClusterRecord.DefaultSubnetSize;

    public int DataPathPort { get; init; } = ClusterRecord.DefaultDataPathPort;
}
