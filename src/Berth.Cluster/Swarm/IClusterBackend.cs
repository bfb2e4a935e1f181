namespace Berth.Cluster.Swarm;

/// <summary>
/// Opens a node's <see cref="IClusterConnection"/> from its local state: on a manager it first starts (and waits for)
/// the node's etcd member; then it connects to the cluster store with the node's certificate. The real one runs
/// etcd (<see cref="EtcdClusterBackend"/>); unit tests give an in-memory one. With an <see cref="ExternalStore"/>
/// (berthd <c>--cluster-store</c>) no node runs a member: every node connects to that etcd with its own flags' credentials.
/// </summary>
public interface IClusterBackend
{
    Task<IClusterConnection> OpenAsync(LocalSwarmState state, SwarmPaths paths, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the manager of <paramref name="state"/> the only member of its cluster, keeping the data: started once
    /// as such and stopped again, with no connection open (<c>swarm init --force-new-cluster</c>).
    /// </summary>
    Task ForceNewClusterAsync(LocalSwarmState state, SwarmPaths paths, CancellationToken cancellationToken = default);

    /// <summary>The etcd the user runs (<c>--cluster-store</c>); null when the swarm's managers run its etcd members.</summary>
    ExternalClusterStore? ExternalStore => null;

    /// <summary>
    /// The identity of <see cref="ExternalStore"/>: its etcd cluster id (hex, from etcd's response header). A swarm
    /// records it, so that a node pointed at another etcd (or at none) is refused rather than split off.
    /// </summary>
    Task<string> IdentifyExternalStoreAsync(CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("this cluster backend has no external store");
}
