namespace Berth.Cluster.Swarm;

/// <summary>etcd's membership API, for managers joining and leaving (etcd's Cluster service).</summary>
public interface IEtcdCluster
{
    Task<IReadOnlyList<EtcdMemberInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a learner (a member that replicates but does not vote until promoted); returns it.</summary>
    Task<EtcdMemberInfo> AddLearnerAsync(Uri peerUrl, CancellationToken cancellationToken = default);

    /// <summary>Makes a learner a voting member; etcd refuses until it has caught up with the leader (<c>Conflict</c>).</summary>
    Task PromoteAsync(ulong memberId, CancellationToken cancellationToken = default);

    Task RemoveAsync(ulong memberId, CancellationToken cancellationToken = default);
}
