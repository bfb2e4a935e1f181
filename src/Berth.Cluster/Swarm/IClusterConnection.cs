using Berth.Store;

namespace Berth.Cluster.Swarm;

/// <summary>
/// A node's live link to its cluster: the cluster store with leases, etcd's membership API and, on a manager, its
/// own etcd member (stopped when this is disposed; its data stays until the node leaves).
/// </summary>
public interface IClusterConnection : IAsyncDisposable
{
    IStateStore Store { get; }

    ILeaseStore Leases { get; }

    IEtcdCluster Members { get; }

    /// <summary>Whether the etcd member at <paramref name="clientUrl"/> answers (a manager's reachability).</summary>
    Task<bool> MemberServesAsync(Uri clientUrl, CancellationToken cancellationToken = default);

    /// <summary>Whether the etcd member at <paramref name="clientUrl"/> sees a leader and commits (after a restart, before the next member may go).</summary>
    Task<bool> MemberHealthyAsync(Uri clientUrl, CancellationToken cancellationToken = default);
}
