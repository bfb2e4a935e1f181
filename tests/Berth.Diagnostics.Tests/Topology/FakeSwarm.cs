using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;

namespace Berth.Diagnostics.Tests.Topology;

/// <summary>A swarm as seen from one node: where it stands and the nodes a manager lists. Everything else is not asked.</summary>
internal sealed class FakeSwarm(SwarmLocalStatus local, IReadOnlyList<NodeView> nodes) : ISwarm
{
    public SwarmLocalStatus Local => local;

    public Task<IReadOnlyList<NodeView>> ListNodesAsync(CancellationToken cancellationToken = default) => Task.FromResult(nodes);

    public Task<NodeId> InitAsync(SwarmInitOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ClusterRole> JoinAsync(SwarmJoinOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task LeaveAsync(bool force, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ClusterView> InspectAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task UpdateAsync(long version, SwarmUpdate update, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<SwarmSummary> SummaryAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<NodeView> GetNodeAsync(string idOrName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task UpdateNodeAsync(string idOrName, long version, NodeSpecChange spec, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RemoveNodeAsync(string idOrName, bool force, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public static NodeView Node(string name, string address, ClusterRole role, bool leader = false) => new(
        new NodeRecord
        {
            Id = NodeId.New(),
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
            Role = role,
            Host = new SwarmHostFacts { Hostname = name, EngineVersion = "test" },
            Address = address,
        },
        1, NodeLiveness.Ready, role == ClusterRole.Manager ? new ManagerView(leader, true, address + ":2377") : null);
}
