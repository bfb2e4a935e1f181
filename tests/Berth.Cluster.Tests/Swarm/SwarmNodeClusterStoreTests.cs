using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;
using static Berth.Cluster.Tests.Swarm.SwarmTestSupport;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>A swarm on an external etcd (<c>--cluster-store</c>) over an in-memory cluster: no members, no auth, the store's identity checked.</summary>
public sealed class SwarmNodeClusterStoreTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-swarm-store-test-" + Guid.NewGuid().ToString("N"));
    private readonly InMemoryClusterBackend _cluster = new() { ExternalStore = ExternalClusterStore.Parse("etcd://10.0.0.100:2379", []) };
    private readonly List<SwarmNode> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task InitRecordsTheStoreAndMakesNoMemberAndNoAuth()
    {
        SwarmNode node = NewNode("a");

        NodeId id = await node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });

        ClusterRecord cluster = (await node.InspectAsync()).Record;
        Assert.Equal(("c1a55e5", "etcd://10.0.0.100:2379"), (cluster.ClusterStoreId, cluster.ClusterStoreUrl));
        Assert.Empty(await _cluster.ListAsync());
        Assert.False(_cluster.AuthEnabled);
        Assert.Empty(_cluster.Users);
        NodeView self = Assert.Single(await node.ListNodesAsync());
        Assert.Equal(id, self.Record.Id);
        Assert.Null(self.Record.EtcdClientUrl);
        LocalSwarmState state = SwarmStateFile.Load(Paths("a"))!;
        Assert.Equal("c1a55e5", state.ClusterStoreId);
        Assert.Empty(state.EtcdEndpoints);
    }

    [Fact]
    public async Task AManagerIsAdmittedWithoutALearnerAndItsAnswerStartsNoMember()
    {
        var (node, cluster) = await InitAsync();
        using var key = NodeKeys.Create();

        JoinAnswer manager = await node.AdmitAsync(Request(cluster.ManagerToken, key, "10.0.0.6", "c1a55e5"), CancellationToken.None);

        Assert.Equal(ClusterRole.Manager, manager.Role);
        Assert.Empty(manager.EtcdEndpoints);
        Assert.Empty(manager.EtcdInitialCluster);
        Assert.NotNull(manager.CaKeySecret);
        Assert.Empty(await _cluster.ListAsync());
        Assert.Empty(_cluster.Users);

        // Reachability is the heartbeat: a manager that never beat is Down and Unreachable; this one is both alive.
        Assert.True(await PollAsync(async () => (await node.GetNodeAsync("self")) is { Liveness: NodeLiveness.Ready, Manager.Reachable: true }));
        NodeView admitted = await node.GetNodeAsync(manager.Node.Value);
        Assert.Equal((NodeLiveness.Down, false), (admitted.Liveness, admitted.Manager!.Reachable));
    }

    [Theory]
    [InlineData(null, "runs without --cluster-store; start it with --cluster-store etcd://10.0.0.100:2379")]
    [InlineData("0the1", "the joining node's --cluster-store is the etcd cluster 0the1, but this swarm keeps its state in the etcd cluster c1a55e5")]
    public async Task AJoinerWithAnotherStoreIsRefusedBeforeAnythingIsMade(string? joinerStore, string says)
    {
        var (node, cluster) = await InitAsync();
        using var key = NodeKeys.Create();

        var refused = await Assert.ThrowsAsync<BerthException>(() => node.AdmitAsync(Request(cluster.WorkerToken, key, "10.0.0.6", joinerStore), CancellationToken.None));

        Assert.Equal(ErrorKind.InvalidArgument, refused.Kind);
        Assert.Contains(says, refused.Message, StringComparison.Ordinal);
        Assert.Single(await node.ListNodesAsync());
    }

    [Fact]
    public async Task ASwarmWhoseManagersRunEtcdRefusesAJoinerWithAClusterStore()
    {
        var managed = new InMemoryClusterBackend();
        SwarmNode node = NewNode("m", managed);
        await node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        ClusterRecord cluster = (await node.InspectAsync()).Record;
        using var key = NodeKeys.Create();

        var refused = await Assert.ThrowsAsync<BerthException>(() => node.AdmitAsync(Request(cluster.WorkerToken, key, "10.0.0.6", "c1a55e5"), CancellationToken.None));

        Assert.Contains("this swarm's managers run its etcd, and the joining node's berthd runs with --cluster-store", refused.Message, StringComparison.Ordinal);
        Assert.Null(cluster.ClusterStoreId);
    }

    [Fact]
    public async Task InitOnAStoreThatHoldsASwarmIsRefusedAndLeavesNothing()
    {
        SwarmNode first = NewNode("a");
        await first.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        ClusterId existing = (await first.InspectAsync()).Record.Id;
        SwarmNode second = NewNode("b");

        var refused = await Assert.ThrowsAsync<BerthException>(() => second.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.6" }));

        Assert.Equal(ErrorKind.Conflict, refused.Kind);
        Assert.StartsWith($"the cluster store etcd://10.0.0.100:2379 already holds swarm {existing}; join it", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Paths("b").Directory));
        Assert.Equal(SwarmLocalStatus.Inactive, second.Local);
        Assert.Single(await first.ListNodesAsync());
    }

    [Fact]
    public async Task TheLastManagerLeavingErasesTheSwarmButNotWhileAnotherManagerRemains()
    {
        var (node, cluster) = await InitAsync();
        using var key = NodeKeys.Create();
        await node.AdmitAsync(Request(cluster.ManagerToken, key, "10.0.0.6", "c1a55e5"), CancellationToken.None);

        // Another manager's record (Down, never connected): no quorum refusal, as the etcd's quorum is not the managers'; the keys stay.
        await node.LeaveAsync(force: false);
        Assert.Equal(cluster.Id, SwarmRecords.Cluster((await _cluster.Store.GetAsync(ClusterKeys.Cluster))!.Value).Id);
        Assert.Equal(2, (await _cluster.Store.ListAsync(ClusterKeys.Nodes)).Count);

        // Alone (a worker beside it does not count): refused without --force, and with it the swarm's keys go.
        var store = new InMemoryClusterBackend { ExternalStore = _cluster.ExternalStore };
        SwarmNode last = NewNode("b", store);
        await last.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.7" });
        cluster = (await last.InspectAsync()).Record;
        await last.AdmitAsync(Request(cluster.WorkerToken, key, "10.0.0.8", "c1a55e5"), CancellationToken.None);
        Assert.Equal(SwarmErrors.LastManager, (await Assert.ThrowsAsync<BerthException>(() => last.LeaveAsync(force: false))).Message);

        await last.LeaveAsync(force: true);

        Assert.Empty(await store.Store.ListAsync("swarm/"));
    }

    [Theory]
    [InlineData(false, "berthd was started without --cluster-store; start berthd with the --cluster-store and --cluster-store-opt of that etcd")]
    [InlineData(true, "--cluster-store etcd://10.0.0.100:2379 is the etcd cluster 0ther, but this node's swarm")]
    public async Task ANodeRestartedWithoutItsStoreSaysSoAndDoesNotConnect(bool otherStore, string says)
    {
        SwarmNode node = NewNode("a");
        await node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        await node.DisposeAsync();
        _nodes.Remove(node);
        int opened = _cluster.Opened.Count;
        if (otherStore)
        {
            _cluster.ExternalStoreId = "0ther";
        }
        else
        {
            _cluster.ExternalStore = null;
        }

        SwarmNode restarted = NewNode("a");
        restarted.Start();

        Assert.True(await PollAsync(() => Task.FromResult(restarted.Local.State == SwarmLocalState.Error)));
        Assert.Contains(says, restarted.Local.Error, StringComparison.Ordinal);
        Assert.Equal(opened, _cluster.Opened.Count);
    }

    private async Task<(SwarmNode Node, ClusterRecord Cluster)> InitAsync()
    {
        SwarmNode node = NewNode("a");
        await node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        return (node, (await node.InspectAsync()).Record);
    }

    private SwarmPaths Paths(string name) => SwarmPaths.Under(Path.Combine(_root, name));

    private SwarmNode NewNode(string name, InMemoryClusterBackend? backend = null)
    {
        var node = new SwarmNode(Paths(name), Host, backend ?? _cluster, joinListener: null, TimeProvider.System, NullLogger.Instance);
        _nodes.Add(node);
        return node;
    }
}
