using Berth.Cluster.Identity;

namespace Berth.Cluster.Swarm;

/// <summary>
/// This node's swarm: what the <c>/swarm</c>, <c>/nodes</c> and <c>/info</c> routes ask. Outside a swarm every call
/// but <see cref="InitAsync"/>, <see cref="JoinAsync"/> and <see cref="Local"/> is Docker's 503 (<see cref="SwarmErrors"/>);
/// on a worker the cluster's routes are too.
/// </summary>
public interface ISwarm
{
    SwarmLocalStatus Local { get; }

    Task<NodeId> InitAsync(SwarmInitOptions options, CancellationToken cancellationToken = default);

    Task<ClusterRole> JoinAsync(SwarmJoinOptions options, CancellationToken cancellationToken = default);

    Task LeaveAsync(bool force, CancellationToken cancellationToken = default);

    Task<ClusterView> InspectAsync(CancellationToken cancellationToken = default);

    Task UpdateAsync(long version, SwarmUpdate update, CancellationToken cancellationToken = default);

    /// <summary>For <c>/info</c>: never fails for lack of a leader; what cannot be read is left out.</summary>
    Task<SwarmSummary> SummaryAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<NodeView>> ListNodesAsync(CancellationToken cancellationToken = default);

    /// <summary>A node by full id, name (hostname) or unique id prefix; <c>self</c> is this node.</summary>
    Task<NodeView> GetNodeAsync(string idOrName, CancellationToken cancellationToken = default);

    Task UpdateNodeAsync(string idOrName, long version, NodeSpecChange spec, CancellationToken cancellationToken = default);

    Task RemoveNodeAsync(string idOrName, bool force, CancellationToken cancellationToken = default);
}
