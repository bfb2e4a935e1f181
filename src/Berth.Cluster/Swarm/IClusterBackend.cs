namespace Berth.Cluster.Swarm;

/// <summary>
/// Opens a node's <see cref="IClusterConnection"/> from its local state: on a manager it first starts (and waits for)
/// the node's etcd member; then it connects to the cluster store with the node's certificate. The real one runs
/// etcd (<see cref="EtcdClusterBackend"/>); unit tests give an in-memory one.
/// </summary>
public interface IClusterBackend
{
    Task<IClusterConnection> OpenAsync(LocalSwarmState state, SwarmPaths paths, CancellationToken cancellationToken = default);
}
