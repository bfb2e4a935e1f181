using System.Collections.Immutable;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Swarm;

/// <summary>
/// What a node remembers of its swarm between restarts (<c>ROOT/swarm/state.json</c>): who it is, its role, its
/// addresses, and where the cluster store is. A manager also keeps how its etcd member first started (etcd reads
/// the initial cluster only on its first start; afterwards its data directory decides).
/// </summary>
public sealed record LocalSwarmState
{
    public required NodeId Node { get; init; }

    public required ClusterId Cluster { get; init; }

    public required ClusterRole Role { get; init; }

    /// <summary>The IP other nodes reach this one at.</summary>
    public required string AdvertiseAddress { get; init; }

    /// <summary>What <c>--listen-addr</c> said (<c>0.0.0.0:2377</c>); the join service listens on the advertise address.</summary>
    public required string ListenAddress { get; init; }

    public string DataPathAddress { get; init; } = "";

    /// <summary>The managers' etcd client URLs; a manager's own comes first.</summary>
    public required ImmutableArray<Uri> EtcdEndpoints { get; init; }

    /// <summary>A manager's member as it first started: the cluster it joined (or founded).</summary>
    public ImmutableArray<string> EtcdInitialCluster { get; init; } = [];

    public bool EtcdJoinExisting { get; init; }

    /// <summary>
    /// The etcd cluster id of the external store the swarm lives in (berthd <c>--cluster-store</c>); null when its
    /// managers run its etcd. Then <see cref="EtcdEndpoints"/> is empty: the flags say where the store is.
    /// </summary>
    public string? ClusterStoreId { get; init; }
}
