namespace Berth.Cluster.Swarm;

/// <summary>
/// etcd's membership API, for managers joining and leaving (etcd's Cluster service), and its users (Auth service):
/// with auth on, etcd takes a client certificate's CN — the node id — as the user, so each node is a user; managers
/// have the root role, a worker a role of its own that reads the cluster's prefix and writes only its heartbeat.
/// </summary>
public interface IEtcdCluster
{
    Task<IReadOnlyList<EtcdMemberInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a learner (a member that replicates but does not vote until promoted); returns it.</summary>
    Task<EtcdMemberInfo> AddLearnerAsync(Uri peerUrl, CancellationToken cancellationToken = default);

    /// <summary>Makes a learner a voting member; etcd refuses until it has caught up with the leader (<c>Conflict</c>).</summary>
    Task PromoteAsync(ulong memberId, CancellationToken cancellationToken = default);

    Task RemoveAsync(ulong memberId, CancellationToken cancellationToken = default);

    /// <summary><c>swarm init</c>: the root user and the first manager's user, then auth on.</summary>
    Task EnableAuthAsync(Identity.NodeId manager, CancellationToken cancellationToken = default);

    /// <summary>Makes <paramref name="node"/> a user with what its role may do (again after promote/demote); idempotent.</summary>
    Task AllowAsync(Identity.NodeId node, Identity.ClusterRole role, CancellationToken cancellationToken = default);
}
