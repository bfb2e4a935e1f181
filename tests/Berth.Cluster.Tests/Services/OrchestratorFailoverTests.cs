using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Cluster.Tests.Swarm;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cluster.Tests.Services;

/// <summary>Two managers' orchestrators on one store, the leader switched in the middle of their passes.</summary>
public sealed class OrchestratorFailoverTests
{
    [Fact]
    public async Task LeaderChangesMidPassNeverDuplicateASlot()
    {
        await using var h = new ServicesHarness();
        var storeA = new SwitchingStore(h.Memory);
        var storeB = new SwitchingStore(h.Memory);
        NodeId nodeA = NodeId.New(), nodeB = NodeId.New();
        await using var a = new ServiceOrchestrator(storeA, nodeA, h.Time, NullLogger.Instance);
        await using var b = new ServiceOrchestrator(storeB, nodeB, h.Time, NullLogger.Instance);
        for (int i = 0; i < 4; i++)
        {
            await h.AddNodeAsync($"n{i}");
        }

        await h.LeadAsync(nodeA);
        var web = (await h.Manager.CreateAsync(ServicesHarness.Spec("web", 6) with { Update = new UpdatePolicy { Parallelism = 2, Monitor = TimeSpan.Zero } })).Id;
        var db = (await h.Manager.CreateAsync(ServicesHarness.Spec("db", 3))).Id;

        // A commits its first service's tasks, then loses the lead: its second service's write is refused.
        storeA.AfterNextTransaction(() => h.LeadAsync(nodeB));
        Assert.True(await a.ReconcileOnceAsync());
        Assert.Equal(1, storeA.Refused);
        await AssertNoDuplicatesAsync(h, web, db);
        Assert.True(await b.ReconcileOnceAsync());
        Assert.False(await a.ReconcileOnceAsync());
        await AssertNoDuplicatesAsync(h, web, db);
        Assert.Equal(6, (await h.LiveAsync(web)).Count);
        Assert.Equal(3, (await h.LiveAsync(db)).Count);
        await h.AgentsAsync();

        var view = await h.Manager.GetAsync("web");
        await h.Manager.UpdateAsync("web", view.Version, view.Record.Spec with
        {
            Task = view.Record.Spec.Task with { Container = new ContainerTaskSpec { Image = "nginx" } },
            Mode = ServiceMode.Replicated(8),
        }, rollback: false);

        // Leadership flips every pass, before or after the leader's first write, while the update rolls.
        var orchestrators = new[] { (Node: nodeA, Run: a, Store: storeA), (Node: nodeB, Run: b, Store: storeB) };
        for (int round = 0; round < 24; round++)
        {
            var leader = orchestrators[(round + 1) % 2];
            var next = orchestrators[round % 2];
            if (round % 3 == 0)
            {
                leader.Store.BeforeNextTransaction(() => h.LeadAsync(next.Node));
            }
            else
            {
                leader.Store.AfterNextTransaction(() => h.LeadAsync(next.Node));
            }

            await leader.Run.ReconcileOnceAsync();
            await AssertNoDuplicatesAsync(h, web, db);
            await next.Run.ReconcileOnceAsync();
            await AssertNoDuplicatesAsync(h, web, db);
            await h.AgentsAsync();
            await h.LeadAsync(leader.Node);
        }

        await h.LeadAsync(nodeA);
        for (int i = 0; i < 6; i++)
        {
            await a.ReconcileOnceAsync();
            await h.AgentsAsync();
        }

        var live = await h.LiveAsync(web);
        Assert.Equal(Enumerable.Range(1, 8), live.Select(t => t.Record.Slot));
        Assert.All(live, t => Assert.Equal("nginx", t.Record.Spec.Container.Image));
        Assert.Equal(ServiceUpdateState.Completed, (await h.Manager.GetAsync("web")).Record.UpdateStatus!.State);
        Assert.Equal(3, (await h.LiveAsync(db)).Count);
        Assert.True(storeA.Refused + storeB.Refused >= 2, $"refused writes: {storeA.Refused + storeB.Refused}");
    }

    private static async Task AssertNoDuplicatesAsync(ServicesHarness h, params ServiceId[] services)
    {
        foreach (ServiceId service in services)
        {
            var live = await h.LiveAsync(service);
            Assert.All(live.GroupBy(t => t.Record.Slot), slot => Assert.Single(slot));
        }
    }

    [Fact]
    public async Task TheLoopFollowsTheStoreByItself()
    {
        await using var store = new Berth.Store.InMemoryStateStore();
        var networking = new FakeServiceNetworking();
        var manager = new ServiceManager(store, networking, TimeProvider.System, NullLogger.Instance);
        var self = NodeId.New();
        var node = NodeId.New();
        await store.PutAsync(Berth.Cluster.Swarm.ClusterKeys.Leader, System.Text.Encoding.UTF8.GetBytes(self.Value));
        await store.PutAsync(Berth.Cluster.Swarm.ClusterKeys.Node(node), Berth.Cluster.Swarm.SwarmRecords.Bytes(new Berth.Cluster.Swarm.NodeRecord
        {
            Id = node,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
            Role = ClusterRole.Manager,
            Host = new Berth.Cluster.Swarm.SwarmHostFacts { Hostname = "solo", EngineVersion = "28" },
            Address = "192.0.2.1",
        }));
        await store.PutAsync(Berth.Cluster.Swarm.ClusterKeys.Heartbeat(node), Berth.Cluster.Swarm.SwarmRecords.Bytes(new Berth.Cluster.Swarm.HeartbeatRecord { At = DateTimeOffset.UtcNow }));
        await using var orchestrator = new ServiceOrchestrator(store, self, TimeProvider.System, NullLogger.Instance,
            new ServiceOrchestratorOptions { ResyncPeriod = TimeSpan.FromSeconds(30), Debounce = TimeSpan.FromMilliseconds(10) });
        orchestrator.Start();

        var id = (await manager.CreateAsync(ServicesHarness.Spec("web", 3))).Id;
        Assert.True(await SwarmTestSupport.PollAsync(async () => await LiveCountAsync(store, id) == 3, TimeSpan.FromSeconds(5)));

        var view = await manager.GetAsync("web");
        await manager.UpdateAsync("web", view.Version, view.Record.Spec with { Mode = ServiceMode.Replicated(1) }, rollback: false);
        Assert.True(await SwarmTestSupport.PollAsync(async () => await LiveCountAsync(store, id) == 1, TimeSpan.FromSeconds(5)));
        Assert.True(orchestrator.IsLeading);
    }

    private static async Task<int> LiveCountAsync(Berth.Store.IStateStore store, ServiceId id) =>
        (await ServicesSnapshot.ReadAsync(store, CancellationToken.None)).Tasks.Count(t => t.Record.ServiceId == id && t.Record.DesiredState == TaskState.Running);
}
