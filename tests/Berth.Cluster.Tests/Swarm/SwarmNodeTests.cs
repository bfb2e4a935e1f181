using System.Net;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;
using static Berth.Cluster.Tests.Swarm.SwarmTestSupport;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>The swarm's logic over an in-memory cluster: records, versions, refusals, liveness and what survives a restart.</summary>
public sealed class SwarmNodeTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-swarm-test-" + Guid.NewGuid().ToString("N"));
    private readonly InMemoryClusterBackend _cluster = new();
    private SwarmNode _node = null!;

    private SwarmPaths Paths => SwarmPaths.Under(_root);

    public Task InitializeAsync()
    {
        _node = NewNode();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task InitWritesTheClusterTheCaKeyAndItsNodeAndItsLocalState()
    {
        NodeId id = await _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });

        Assert.Equal(new SwarmLocalStatus(SwarmLocalState.Active, id, "10.0.0.5", ClusterRole.Manager, ""), _node.Local);
        ClusterView cluster = await _node.InspectAsync();
        Assert.Equal(ClusterRecord.DefaultAddressPool.AsEnumerable(), cluster.Record.DefaultAddrPool);
        var tokens = new ClusterJoinTokens(JoinToken.Parse(cluster.Record.WorkerToken), JoinToken.Parse(cluster.Record.ManagerToken));
        Assert.Equal(CaDigest.Of(cluster.Record.CaCertificate), tokens.Worker.CaDigest);
        Assert.NotNull(await _cluster.Store.GetAsync(ClusterKeys.CaKey));
        Assert.True(_cluster.AuthEnabled);

        NodeView self = Assert.Single(await _node.ListNodesAsync());
        Assert.Equal(id, self.Record.Id);
        Assert.Equal(new ManagerView(Leader: false, Reachable: true, "10.0.0.5:2377"), self.Manager! with { Leader = false });
        Assert.Equal(new Uri("https://10.0.0.5:2379"), self.Record.EtcdClientUrl);

        // The state file is what brings the node back; the node's certificate names it and its role.
        LocalSwarmState state = SwarmStateFile.Load(Paths)!;
        Assert.Equal(id, state.Node);
        Assert.Equal([new Uri("https://10.0.0.5:2379")], state.EtcdEndpoints.AsEnumerable());
        using var certificate = SwarmStateFile.LoadIdentity(Paths).Import();
        Assert.Equal(new NodeIdentity(id, ClusterRole.Manager, cluster.Record.Id), NodeIdentity.Of(certificate));
    }

    [Fact]
    public async Task TheHeartbeatMakesTheNodeReadyAndTheLeaderAndItsLapseMakesItDown()
    {
        NodeId id = await _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        Assert.True(await PollAsync(async () => (await _node.GetNodeAsync("self")) is { Liveness: NodeLiveness.Ready, Manager.Leader: true }));
        Assert.Equal(id.Value, Encoding.UTF8.GetString((await _cluster.Store.GetAsync(ClusterKeys.Leader))!.Value.Span));

        await _cluster.ExpireAllAsync();
        Assert.Equal(NodeLiveness.Down, (await _node.GetNodeAsync(id.Value)).Liveness);

        // The next keep-alive finds its lease gone, takes a new one and writes the heartbeat again.
        Assert.True(await PollAsync(async () => (await _node.GetNodeAsync("self")).Liveness == NodeLiveness.Ready));
    }

    [Fact]
    public async Task ASecondInitAndAJoinAreRefusedAsDockerRefusesThem()
    {
        await _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });

        var init = await Assert.ThrowsAsync<BerthException>(() => _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" }));
        Assert.Equal((ErrorKind.Unavailable, SwarmErrors.AlreadyInASwarm), (init.Kind, init.Message));
        var join = await Assert.ThrowsAsync<BerthException>(() => _node.JoinAsync(new SwarmJoinOptions { Token = "x", RemoteAddresses = ["10.0.0.6"] }));
        Assert.Equal(SwarmErrors.AlreadyInASwarm, join.Message);
    }

    [Fact]
    public async Task AnInitWhoseStoreDoesNotStartLeavesNothing()
    {
        _cluster.FailOpen = new BerthException(ErrorKind.Unavailable, "etcd did not start");

        await Assert.ThrowsAsync<BerthException>(() => _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" }));

        Assert.Equal(SwarmLocalStatus.Inactive, _node.Local);
        Assert.False(Directory.Exists(Paths.Directory));
    }

    [Fact]
    public async Task UpdatesCompareTheVersionAndRotateTokens()
    {
        await _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        ClusterView before = await _node.InspectAsync();

        var stale = await Assert.ThrowsAsync<BerthException>(() => _node.UpdateAsync(before.Version - 1, new SwarmUpdate(before.Record.Spec, true, false)));
        Assert.Equal((ErrorKind.InvalidArgument, "update out of sequence"), (stale.Kind, stale.Message));

        await _node.UpdateAsync(before.Version, new SwarmUpdate(before.Record.Spec with { TaskHistoryRetentionLimit = 2 }, RotateWorkerToken: true, RotateManagerToken: false));
        ClusterView after = await _node.InspectAsync();
        Assert.Equal(2, after.Record.Spec.TaskHistoryRetentionLimit);
        Assert.NotEqual(before.Record.WorkerToken, after.Record.WorkerToken);
        Assert.Equal(before.Record.ManagerToken, after.Record.ManagerToken);
        Assert.True(after.Version > before.Version);

        NodeView self = await _node.GetNodeAsync("self");
        var change = new NodeSpecChange(null, self.Record.Labels.Add("zone", "a"), ClusterRole.Manager, NodeAvailability.Drain);
        await _node.UpdateNodeAsync("self", self.Version, change);
        var again = await Assert.ThrowsAsync<BerthException>(() => _node.UpdateNodeAsync("self", self.Version, change));
        Assert.Equal("update out of sequence", again.Message);
        NodeView drained = await _node.GetNodeAsync(self.Record.Id.Value[..5]);
        Assert.Equal((NodeAvailability.Drain, "a"), (drained.Record.Availability, drained.Record.Labels["zone"]));
    }

    [Fact]
    public async Task APromotionIsWrittenForTheNodeToActOnAndTheLastManagerIsNotDemoted()
    {
        await _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        ClusterView cluster = await _node.InspectAsync();
        using var key = NodeKeys.Create();
        JoinAnswer worker = await _node.AdmitAsync(Request(cluster.Record.WorkerToken, key, "10.0.0.6"), CancellationToken.None);

        NodeView self = await _node.GetNodeAsync("self");
        var demote = await Assert.ThrowsAsync<BerthException>(() =>
            _node.UpdateNodeAsync("self", self.Version, new NodeSpecChange(null, self.Record.Labels, ClusterRole.Worker, NodeAvailability.Active)));
        Assert.Equal((ErrorKind.InvalidArgument, "attempting to demote the last manager of the swarm"), (demote.Kind, demote.Message));

        NodeView joined = await _node.GetNodeAsync(worker.Node.Value);
        await _node.UpdateNodeAsync(worker.Node.Value, joined.Version, new NodeSpecChange(null, joined.Record.Labels, ClusterRole.Manager, NodeAvailability.Active));
        NodeView promoted = await _node.GetNodeAsync(worker.Node.Value);
        Assert.Equal((ClusterRole.Manager, new Uri("https://10.0.0.6:2379")), (promoted.Record.Role, promoted.Record.EtcdClientUrl));
    }

    [Fact]
    public async Task WithoutQuorumWritesAreDockersNoLeaderErrorAndReadsAnswer()
    {
        await _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        NodeView self = await _node.GetNodeAsync("self");
        _cluster.QuorumLost = true;

        var write = await Assert.ThrowsAsync<BerthException>(() =>
            _node.UpdateNodeAsync("self", self.Version, new NodeSpecChange(null, self.Record.Labels, ClusterRole.Manager, NodeAvailability.Pause)));

        Assert.Equal((ErrorKind.Unavailable, SwarmErrors.NoLeader), (write.Kind, write.Message));
        Assert.Single(await _node.ListNodesAsync());
    }

    [Fact]
    public async Task ForceNewClusterMakesAManagerWithoutQuorumTheOnlyMemberAndKeepsEveryRecord()
    {
        NodeId id = await _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        ClusterView cluster = await _node.InspectAsync();
        using var key = NodeKeys.Create();
        JoinAnswer other = await _node.AdmitAsync(Request(cluster.Record.ManagerToken, key, "10.0.0.7"), CancellationToken.None);
        Assert.Equal(2, (await _cluster.ListAsync()).Count);
        _cluster.QuorumLost = true;
        NodeView self = await _node.GetNodeAsync("self");
        await Assert.ThrowsAsync<BerthException>(() =>
            _node.UpdateNodeAsync("self", self.Version, new NodeSpecChange(null, self.Record.Labels, ClusterRole.Manager, NodeAvailability.Pause)));

        NodeId forced = await _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5", ForceNewCluster = true });

        Assert.Equal(id, forced);
        Assert.Equal(cluster.Record.Id, (await _node.InspectAsync()).Record.Id);
        Assert.Equal("10.0.0.5:2379", Assert.Single(await _cluster.ListAsync()).ClientUrls[0].Authority);
        self = await _node.GetNodeAsync("self");
        await _node.UpdateNodeAsync("self", self.Version, new NodeSpecChange(null, self.Record.Labels, ClusterRole.Manager, NodeAvailability.Pause));
        Assert.Equal(NodeAvailability.Pause, (await _node.GetNodeAsync("self")).Record.Availability);
        // The lost manager stays listed (to be demoted and removed), and the node's store client asks only its own member.
        Assert.Equal(ClusterRole.Manager, (await _node.GetNodeAsync(other.Node.Value)).Record.Role);
        Assert.Equal([new Uri("https://10.0.0.5:2379")], SwarmStateFile.Load(Paths)!.EtcdEndpoints.AsEnumerable());
        Assert.Equal(SwarmLocalState.Active, _node.Local.State);
        NodeView lost = await _node.GetNodeAsync(other.Node.Value);
        await _node.UpdateNodeAsync(lost.Record.Id.Value, lost.Version, new NodeSpecChange(null, lost.Record.Labels, ClusterRole.Worker, NodeAvailability.Active));
        Assert.Equal(ClusterRole.Worker, (await _node.GetNodeAsync(other.Node.Value)).Record.Role);
    }

    [Fact]
    public async Task ForceNewClusterOutsideASwarmIsAnOrdinaryInit()
    {
        NodeId id = await _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5", ForceNewCluster = true });

        Assert.Equal(id, Assert.Single(await _node.ListNodesAsync()).Record.Id);
        Assert.Single(await _cluster.ListAsync());
    }

    [Fact]
    public async Task AdmissionSignsTheRequestForTheTokensRoleAndAddsALearnerForAManager()
    {
        await _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        ClusterView cluster = await _node.InspectAsync();
        using var key = NodeKeys.Create();

        JoinAnswer worker = await _node.AdmitAsync(Request(cluster.Record.WorkerToken, key, "10.0.0.6"), CancellationToken.None);
        JoinAnswer manager = await _node.AdmitAsync(Request(cluster.Record.ManagerToken, key, "10.0.0.7"), CancellationToken.None);

        Assert.Equal(ClusterRole.Worker, worker.Role);
        Assert.Empty(worker.EtcdInitialCluster);
        Assert.Equal([new Uri("https://10.0.0.5:2379")], worker.EtcdEndpoints.AsEnumerable());
        Assert.Equal(ClusterRole.Manager, manager.Role);
        Assert.Equal([$"{(await _node.GetNodeAsync("self")).Record.Id}=https://10.0.0.5:2380", $"{manager.Node}=https://10.0.0.7:2380"], manager.EtcdInitialCluster.AsEnumerable());
        Assert.Contains(await _cluster.ListAsync(), m => m.IsLearner && m.PeerUrls[0] == new Uri("https://10.0.0.7:2380"));
        string sealedKey = Encoding.UTF8.GetString((await _cluster.Store.GetAsync(ClusterKeys.CaKey))!.Value.Span);
        Assert.DoesNotContain("PRIVATE KEY", sealedKey, StringComparison.Ordinal);
        Assert.NotNull(manager.CaKeySecret);
        Assert.Null(worker.CaKeySecret);
        Assert.Equal((ClusterRole.Worker, ClusterRole.Manager), (_cluster.Users[worker.Node.Value], _cluster.Users[manager.Node.Value]));
        using var ca = ClusterCa.Load(cluster.Record.Id, new CertificatePem(cluster.Record.CaCertificate, CaKeySeal.Open(sealedKey, Convert.FromBase64String(manager.CaKeySecret!))));
        using var signed = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(manager.Certificate);
        Assert.Equal(new NodeIdentity(manager.Node, ClusterRole.Manager, cluster.Record.Id), ca.Verify(signed, DateTimeOffset.UtcNow));
        Assert.Equal(3, (await _node.ListNodesAsync()).Count);

        // A node that never heartbeated is Down; a worker may go, a manager must be demoted first.
        var refused = await Assert.ThrowsAsync<BerthException>(() => _node.RemoveNodeAsync(manager.Node.Value, force: true));
        Assert.Equal(SwarmErrors.ManagerNotDemoted(manager.Node.Value).Message, refused.Message);
        await _node.RemoveNodeAsync(worker.Node.Value, force: false);
        Assert.Equal(2, (await _node.ListNodesAsync()).Count);

        var wrong = await Assert.ThrowsAsync<BerthException>(() => _node.AdmitAsync(
            Request(cluster.Record.WorkerToken[..^25] + new string('0', 25), key, "10.0.0.8"), CancellationToken.None));
        Assert.Equal(ErrorKind.Forbidden, wrong.Kind);
        Assert.StartsWith("invalid join token", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARestartedNodeComesBackAndLeaveForceUndoesIt()
    {
        NodeId id = await _node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        await _node.DisposeAsync();

        _node = NewNode();
        _node.Start();
        Assert.True(await PollAsync(() => Task.FromResult(_node.Local.State == SwarmLocalState.Active)));
        Assert.Equal(id, _node.Local.Node);
        Assert.Equal(2, _cluster.Opened.Count);

        var refused = await Assert.ThrowsAsync<BerthException>(() => _node.LeaveAsync(force: false));
        Assert.Equal(SwarmErrors.LastManager, refused.Message);
        await _node.LeaveAsync(force: true);
        Assert.Equal(SwarmLocalStatus.Inactive, _node.Local);
        Assert.False(Directory.Exists(Paths.Directory));
        Assert.Equal(SwarmErrors.NotPartOfASwarm, (await Assert.ThrowsAsync<BerthException>(() => _node.LeaveAsync(force: true))).Message);
        Assert.Equal(SwarmErrors.NotAManager, (await Assert.ThrowsAsync<BerthException>(() => _node.ListNodesAsync())).Message);
    }

    [Fact]
    public async Task AHalfMadeSwarmDirectoryWithoutStateIsRemovedAtStart()
    {
        Directory.CreateDirectory(Paths.EtcdDirectory);

        _node.Start();

        Assert.False(Directory.Exists(Paths.Directory));
        Assert.Equal(SwarmLocalStatus.Inactive, _node.Local);
    }

    private SwarmNode NewNode() => new(Paths, Host, _cluster, joinListener: null, TimeProvider.System, NullLogger.Instance);
}
