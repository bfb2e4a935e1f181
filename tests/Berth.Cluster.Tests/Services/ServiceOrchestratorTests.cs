using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;

namespace Berth.Cluster.Tests.Services;

public sealed class ServiceOrchestratorTests
{
    [Fact]
    public async Task ScalingUpAndDownKeepsSlotsOneToN()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        var nodes = new[] { await h.AddNodeAsync("a"), await h.AddNodeAsync("b"), await h.AddNodeAsync("c") };
        var id = (await h.Manager.CreateAsync(ServicesHarness.Spec("web", 3))).Id;

        await h.ConvergeAsync();
        var live = await h.LiveAsync(id);
        Assert.Equal([1, 2, 3], live.Select(t => t.Record.Slot));
        Assert.Equal(3, live.Select(t => t.Record.Node).Distinct().Count());
        Assert.All(live, t => Assert.Equal(TaskState.Assigned, t.Record.State));
        Assert.Equal(3, (await h.Manager.GetAsync("web")).RunningTasks);

        await ScaleAsync(h, 5);
        await h.ConvergeAsync();
        Assert.Equal([1, 2, 3, 4, 5], (await h.LiveAsync(id)).Select(t => t.Record.Slot));

        await ScaleAsync(h, 2);
        await h.ConvergeAsync();
        Assert.Equal([1, 2], (await h.LiveAsync(id)).Select(t => t.Record.Slot));
        var down = (await h.TasksAsync(id)).Where(t => t.Record.Slot > 2).ToList();
        Assert.Equal(3, down.Count);
        Assert.All(down, t => Assert.Equal((TaskState.Shutdown, TaskState.Shutdown), (t.Record.DesiredState, t.State)));
        Assert.Equal(2, (await h.Manager.GetAsync("web")).RunningTasks);
    }

    [Fact]
    public async Task ANonLeaderDoesNothing()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync(NodeId.New());
        await h.AddNodeAsync("a");
        await h.Manager.CreateAsync(ServicesHarness.Spec("web", 3));

        Assert.False(await h.Orchestrator.ReconcileOnceAsync());
        Assert.Empty(await h.TasksAsync());
    }

    [Fact]
    public async Task AGlobalServiceFollowsNodesJoiningDrainingAndConstraints()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        var a = await h.AddNodeAsync("a");
        var b = await h.AddNodeAsync("b", labels: ("disk", "ssd"));
        var id = (await h.Manager.CreateAsync(ServicesHarness.Spec("agent") with { Mode = ServiceMode.Global })).Id;
        await h.ConvergeAsync();
        Assert.Equal(new[] { a.Value, b.Value }.Order(), (await h.LiveAsync(id)).Select(t => t.Record.Node!.Value.Value).Order());
        Assert.All(await h.LiveAsync(id), t => Assert.Equal(0, t.Record.Slot));

        var c = await h.AddNodeAsync("c");
        await h.ConvergeAsync();
        Assert.Contains(c, (await h.LiveAsync(id)).Select(t => t.Record.Node!.Value));
        Assert.Equal(3, (await h.Manager.GetAsync("agent")).DesiredTasks);

        await h.PutNodeAsync(await h.NodeAsync(a) with { Availability = NodeAvailability.Drain });
        await h.ConvergeAsync();
        Assert.DoesNotContain(a, (await h.LiveAsync(id)).Select(t => t.Record.Node!.Value));
        Assert.Equal(TaskState.Shutdown, (await h.TasksAsync(id)).Single(t => t.Record.Node == a).State);

        var view = await h.Manager.GetAsync("agent");
        await h.Manager.UpdateAsync("agent", view.Version, view.Record.Spec with
        {
            Task = view.Record.Spec.Task with { Placement = new TaskPlacement { Constraints = ["node.labels.disk==ssd"] } },
        }, rollback: false);
        await h.ConvergeAsync(8);
        Assert.Equal(b, Assert.Single(await h.LiveAsync(id)).Record.Node);
    }

    [Fact]
    public async Task ATaskOnANodeDownPastTheGraceIsOrphanedAndReplacedInItsSlotElsewhere()
    {
        await using var h = new ServicesHarness(new ServiceOrchestratorOptions { NodeDownGrace = TimeSpan.FromSeconds(10) });
        await h.LeadAsync();
        await h.AddNodeAsync("a");
        await h.AddNodeAsync("b");
        var id = (await h.Manager.CreateAsync(ServicesHarness.Spec("web", 2))).Id;
        await h.ConvergeAsync();
        var victim = (await h.LiveAsync(id)).Single(t => t.Record.Slot == 2);
        NodeId dead = victim.Record.Node!.Value;

        await h.KillAsync(dead);
        await h.Orchestrator.ReconcileOnceAsync();
        h.Time.Advance(TimeSpan.FromSeconds(9));
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Equal(victim.Record.Id, (await h.LiveAsync(id)).Single(t => t.Record.Slot == 2).Record.Id);

        h.Time.Advance(TimeSpan.FromSeconds(2));
        await h.ConvergeAsync();
        var old = (await h.TasksAsync(id)).Single(t => t.Record.Id == victim.Record.Id);
        Assert.Equal((TaskState.Shutdown, TaskState.Orphaned), (old.Record.DesiredState, old.Record.State));
        Assert.Equal(TaskState.Orphaned, (await h.Manager.GetTaskAsync(old.Record.Id.Value)).State);
        var replacement = (await h.LiveAsync(id)).Single(t => t.Record.Slot == 2);
        Assert.NotEqual(victim.Record.Id, replacement.Record.Id);
        Assert.NotEqual(dead, replacement.Record.Node);
        Assert.Equal(2, (await h.LiveAsync(id)).Count);
    }

    [Fact]
    public async Task TheRestartPolicyWaitsItsDelayAndStopsAfterMaxAttempts()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        await h.AddNodeAsync("a");
        var spec = ServicesHarness.Spec("job", 1) with
        {
            Task = ServicesHarness.Spec("job").Task with
            {
                Restart = new TaskRestartPolicy { Condition = RestartCondition.OnFailure, Delay = TimeSpan.FromSeconds(5), MaxAttempts = 2 },
            },
        };
        var id = (await h.Manager.CreateAsync(spec)).Id;
        await h.ConvergeAsync(1);

        for (int attempt = 1; attempt <= 2; attempt++)
        {
            var task = Assert.Single(await h.LiveAsync(id));
            await h.ReportAsync(task.Record, TaskState.Failed, exitCode: 1);
            h.Time.Advance(TimeSpan.FromSeconds(4));
            await h.Orchestrator.ReconcileOnceAsync();
            Assert.Equal(task.Record.Id, Assert.Single(await h.LiveAsync(id)).Record.Id);

            h.Time.Advance(TimeSpan.FromSeconds(1));
            await h.ConvergeAsync(1);
            var next = Assert.Single(await h.LiveAsync(id));
            Assert.NotEqual(task.Record.Id, next.Record.Id);
            Assert.Equal((1, attempt), (next.Record.Slot, next.Record.RestartCount));
            Assert.Equal(TaskState.Shutdown, (await h.TasksAsync(id)).Single(t => t.Record.Id == task.Record.Id).Record.DesiredState);
        }

        var last = Assert.Single(await h.LiveAsync(id));
        await h.ReportAsync(last.Record, TaskState.Failed, exitCode: 1);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.ConvergeAsync(2);
        Assert.Equal(last.Record.Id, Assert.Single(await h.LiveAsync(id)).Record.Id);
        Assert.Equal(3, (await h.TasksAsync(id)).Count);
    }

    /// <summary>
    /// An agent's clock an hour ahead would put the restart an hour late, one an hour behind would restart at once: the
    /// delay counts from when the manager saw the failure (found with a node's clock skewed, ClusterChaosTests).
    /// </summary>
    [Theory]
    [InlineData(60)]
    [InlineData(-60)]
    public async Task ARestartDelayCountsOnTheManagersClockWhateverTheAgentsClockSays(int skewMinutes)
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        await h.AddNodeAsync("skewed");
        var spec = ServicesHarness.Spec("job", 1) with
        {
            Task = ServicesHarness.Spec("job").Task with { Restart = new TaskRestartPolicy { Condition = RestartCondition.Any, Delay = TimeSpan.FromSeconds(5) } },
        };
        var id = (await h.Manager.CreateAsync(spec)).Id;
        await h.ConvergeAsync(2);
        var task = Assert.Single(await h.LiveAsync(id));

        await h.ReportAsync(task.Record, TaskState.Failed, exitCode: 1, skew: TimeSpan.FromMinutes(skewMinutes));
        await h.Orchestrator.ReconcileOnceAsync();
        h.Time.Advance(TimeSpan.FromSeconds(4));
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Equal(task.Record.Id, Assert.Single(await h.LiveAsync(id)).Record.Id);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Orchestrator.ReconcileOnceAsync();
        var next = Assert.Single(await h.LiveAsync(id));
        Assert.Equal((1, 1L), (next.Record.Slot, (long)next.Record.RestartCount));
    }

    /// <summary>A rolling update's delay and monitor count from when the manager saw the new task run, not from its node's stamp.</summary>
    [Theory]
    [InlineData(60)]
    [InlineData(-60)]
    public async Task AnUpdatesDelayCountsOnTheManagersClockWhateverTheAgentsClockSays(int skewMinutes)
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        await h.AddNodeAsync("skewed");
        var spec = ServicesHarness.Spec("web", 2) with { Update = new UpdatePolicy { Parallelism = 1, Delay = TimeSpan.FromSeconds(10), Monitor = TimeSpan.Zero } };
        var id = (await h.Manager.CreateAsync(spec)).Id;
        await h.ConvergeAsync();
        await h.UpdateImageAsync("nginx");
        await h.Orchestrator.ReconcileOnceAsync();
        await h.AgentsAsync();
        await h.Orchestrator.ReconcileOnceAsync();
        var fresh = Assert.Single(await h.LiveAsync(id), t => t.Record.Spec.Container.Image == "nginx");

        await h.ReportAsync(fresh.Record, TaskState.Running, skew: TimeSpan.FromMinutes(skewMinutes));
        await h.Orchestrator.ReconcileOnceAsync();
        h.Time.Advance(TimeSpan.FromSeconds(9));
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Single(await h.TasksAsync(id), t => t.Record.DesiredState == TaskState.Shutdown);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Equal(2, (await h.TasksAsync(id)).Count(t => t.Record.DesiredState == TaskState.Shutdown));
    }

    [Fact]
    public async Task OnFailureDoesNotRestartACleanExitAndHistoryIsTrimmedPerSlot()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        await h.AddNodeAsync("a");
        var onFailure = ServicesHarness.Spec("once") with
        {
            Task = ServicesHarness.Spec("once").Task with { Restart = new TaskRestartPolicy { Condition = RestartCondition.OnFailure, Delay = TimeSpan.Zero } },
        };
        var once = (await h.Manager.CreateAsync(onFailure)).Id;
        var always = (await h.Manager.CreateAsync(ServicesHarness.Spec("loop") with
        {
            Task = ServicesHarness.Spec("loop").Task with { Restart = new TaskRestartPolicy { Delay = TimeSpan.Zero } },
        })).Id;
        await h.ConvergeAsync(1);
        await h.ReportAsync(Assert.Single(await h.LiveAsync(once)).Record, TaskState.Complete, exitCode: 0);
        for (int i = 0; i < 8; i++)
        {
            await h.ReportAsync(Assert.Single(await h.LiveAsync(always)).Record, TaskState.Complete, exitCode: 0);
            await h.Orchestrator.ReconcileOnceAsync();
            await h.Orchestrator.ReconcileOnceAsync();
        }

        Assert.Single(await h.TasksAsync(once));
        var history = await h.TasksAsync(always);
        Assert.Equal((int)ClusterSpecRecord.DefaultTaskHistoryRetentionLimit, history.Count);
        Assert.Equal(8, history.Max(t => t.Record.RestartCount));
        var statusKeys = (await h.Memory.ListAsync(ClusterKeys.TaskStatuses)).Select(e => e.Key[(e.Key.LastIndexOf('/') + 1)..]).ToHashSet();
        var taskIds = (await h.TasksAsync()).Select(t => t.Record.Id.Value).ToList();
        Assert.All(statusKeys, k => Assert.Contains(k, taskIds));
    }

    [Fact]
    public async Task AStopFirstRollingUpdateReplacesParallelismSlotsAtATime()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        await h.AddNodeAsync("a");
        await h.AddNodeAsync("b");
        var spec = ServicesHarness.Spec("web", 4) with { Update = new UpdatePolicy { Parallelism = 2, Monitor = TimeSpan.Zero } };
        var id = (await h.Manager.CreateAsync(spec)).Id;
        await h.ConvergeAsync();

        await h.UpdateImageAsync("nginx");
        await h.Orchestrator.ReconcileOnceAsync();
        var shut = (await h.TasksAsync(id)).Where(t => t.Record.DesiredState == TaskState.Shutdown).ToList();
        Assert.Equal([1, 2], shut.Select(t => t.Record.Slot).Order());
        Assert.Equal(2, (await h.LiveAsync(id)).Count);

        // Stop-first: no new task in a slot before its old one reports stopped.
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Equal(2, (await h.LiveAsync(id)).Count);
        await h.AgentsAsync();
        await h.Orchestrator.ReconcileOnceAsync();
        var live = await h.LiveAsync(id);
        Assert.Equal(4, live.Count);
        Assert.Equal(2, live.Count(t => t.Record.Spec.Container.Image == "nginx"));

        // The next batch waits for the first to run.
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Equal(2, (await h.TasksAsync(id)).Count(t => t.Record.DesiredState == TaskState.Shutdown));

        await h.ConvergeAsync(6);
        live = await h.LiveAsync(id);
        Assert.Equal([1, 2, 3, 4], live.Select(t => t.Record.Slot));
        Assert.All(live, t => Assert.Equal("nginx", t.Record.Spec.Container.Image));
        var status = (await h.Manager.GetAsync("web")).Record.UpdateStatus!;
        Assert.Equal((ServiceUpdateState.Completed, "update completed"), (status.State, status.Message));
    }

    [Fact]
    public async Task AStartFirstUpdateKeepsTheOldTaskUntilTheNewOneRuns()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        await h.AddNodeAsync("a");
        var spec = ServicesHarness.Spec("web", 1) with { Update = new UpdatePolicy { Order = UpdateOrder.StartFirst, Monitor = TimeSpan.Zero } };
        var id = (await h.Manager.CreateAsync(spec)).Id;
        await h.ConvergeAsync();
        var old = Assert.Single(await h.LiveAsync(id));

        await h.UpdateImageAsync("nginx");
        await h.Orchestrator.ReconcileOnceAsync();
        await h.Orchestrator.ReconcileOnceAsync();
        var both = await h.LiveAsync(id);
        Assert.Equal(2, both.Count);
        Assert.All(both, t => Assert.Equal(1, t.Record.Slot));
        var fresh = both.Single(t => t.Record.Id != old.Record.Id);
        Assert.Equal("nginx", fresh.Record.Spec.Container.Image);

        await h.ReportAsync(fresh.Record, TaskState.Starting);
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Equal(2, (await h.LiveAsync(id)).Count);

        await h.ReportAsync(fresh.Record, TaskState.Running);
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Equal(fresh.Record.Id, Assert.Single(await h.LiveAsync(id)).Record.Id);
        Assert.Equal(TaskState.Shutdown, (await h.TasksAsync(id)).Single(t => t.Record.Id == old.Record.Id).Record.DesiredState);
        await h.ConvergeAsync(2);
        Assert.Equal(ServiceUpdateState.Completed, (await h.Manager.GetAsync("web")).Record.UpdateStatus!.State);
    }

    [Fact]
    public async Task AFailingUpdateRollsBackToThePreviousSpec()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        await h.AddNodeAsync("a");
        await h.AddNodeAsync("b");
        var spec = ServicesHarness.Spec("web", 2) with
        {
            Update = new UpdatePolicy { FailureAction = UpdateFailureAction.Rollback, Monitor = TimeSpan.Zero },
            Rollback = new UpdatePolicy { Parallelism = 0, Monitor = TimeSpan.Zero },
        };
        var id = (await h.Manager.CreateAsync(spec)).Id;
        await h.ConvergeAsync();

        await h.UpdateImageAsync("broken");
        var failing = await FirstUpdatedAsync(h, id, "broken");
        await h.ReportAsync(failing.Record, TaskState.Failed, exitCode: 1);
        await h.Orchestrator.ReconcileOnceAsync();
        var service = (await h.Manager.GetAsync("web")).Record;
        Assert.Equal("busybox:latest", service.Spec.Task.Container.Image);
        Assert.Equal(ServiceUpdateState.RollbackStarted, service.UpdateStatus!.State);
        Assert.Equal($"update rolled back due to failure or early termination of task {failing.Record.Id.Value}", service.UpdateStatus.Message);

        await h.ConvergeAsync(8);
        var live = await h.LiveAsync(id);
        Assert.Equal([1, 2], live.Select(t => t.Record.Slot));
        Assert.All(live, t => Assert.Equal("busybox:latest", t.Record.Spec.Container.Image));
        Assert.Equal(ServiceUpdateState.RollbackCompleted, (await h.Manager.GetAsync("web")).Record.UpdateStatus!.State);
    }

    [Fact]
    public async Task AFailingUpdateWithPauseStops()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        await h.AddNodeAsync("a");
        var id = (await h.Manager.CreateAsync(ServicesHarness.Spec("web", 3) with { Update = new UpdatePolicy { Monitor = TimeSpan.Zero } })).Id;
        await h.ConvergeAsync();

        await h.UpdateImageAsync("broken");
        var failing = await FirstUpdatedAsync(h, id, "broken");
        await h.ReportAsync(failing.Record, TaskState.Failed, exitCode: 1);
        await h.ConvergeAsync(4);

        var status = (await h.Manager.GetAsync("web")).Record.UpdateStatus!;
        Assert.Equal(ServiceUpdateState.Paused, status.State);
        Assert.Equal(2, (await h.LiveAsync(id)).Count(t => t.Record.Spec.Container.Image == "busybox:latest"));
    }

    [Fact]
    public async Task RemovingAServiceRemovesItsTasksAndEveryKey()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        await h.AddNodeAsync("a");
        var dead = await h.AddNodeAsync("b");
        h.Networking.Add("n1");
        await h.Manager.CreateAsync(ServicesHarness.Spec("web", 4) with { Task = ServicesHarness.Spec("web").Task with { Networks = [new TaskNetwork("n1")] } });
        await h.ConvergeAsync();
        Assert.Equal(4, await h.KeyCountAsync(ClusterKeys.TaskStatuses));
        await h.KillAsync(dead);
        h.Time.Advance(TimeSpan.FromSeconds(1));

        await h.Manager.RemoveAsync("web");
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.All(await h.TasksAsync(), t => Assert.Equal(TaskState.Remove, t.Record.DesiredState));
        await h.ConvergeAsync(2);
        Assert.NotEmpty(await h.TasksAsync());

        h.Time.Advance(TimeSpan.FromSeconds(31));
        await h.ConvergeAsync(2);
        Assert.Equal(0, await h.KeyCountAsync(ClusterKeys.Tasks));
        Assert.Equal(0, await h.KeyCountAsync(ClusterKeys.TaskStatuses));
        Assert.Equal(0, await h.KeyCountAsync(ClusterKeys.Services));
        Assert.Equal(0, await h.KeyCountAsync(ClusterKeys.ServiceNames));
        Assert.Empty(h.Networking.Claimed);
    }

    [Fact]
    public async Task TasksWithNoSuitableNodeStayPendingAndAreScheduledWhenANodeFits()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        await h.AddNodeAsync("a");
        var spec = ServicesHarness.Spec("web", 2) with
        {
            Task = ServicesHarness.Spec("web").Task with { Placement = new TaskPlacement { Constraints = ["node.role==manager"] } },
        };
        var id = (await h.Manager.CreateAsync(spec)).Id;

        await h.ConvergeAsync(2);
        var pending = await h.LiveAsync(id);
        Assert.Equal(2, pending.Count);
        Assert.All(pending, t => Assert.Equal((TaskState.Pending, (NodeId?)null), (t.Record.State, t.Record.Node)));
        Assert.All(pending, t => Assert.Equal("no suitable node (scheduling constraints not satisfied on 1 node)", t.Record.Message));

        var manager = await h.AddNodeAsync("m", ClusterRole.Manager);
        await h.ConvergeAsync(2);
        Assert.All(await h.LiveAsync(id), t => Assert.Equal((TaskState.Assigned, (NodeId?)manager), (t.Record.State, t.Record.Node)));
        Assert.Equal(pending.Select(t => t.Record.Id.Value).Order(), (await h.LiveAsync(id)).Select(t => t.Record.Id.Value).Order());
    }

    /// <summary>Passes and reports until the update's first new task runs; it is the only one.</summary>
    private static async Task<TaskEntry> FirstUpdatedAsync(ServicesHarness h, ServiceId id, string image)
    {
        for (int i = 0; i < 10; i++)
        {
            await h.Orchestrator.ReconcileOnceAsync();
            await h.AgentsAsync();
            var updated = (await h.LiveAsync(id)).Where(t => t.Record.Spec.Container.Image == image).ToList();
            if (updated.Count > 0)
            {
                return Assert.Single(updated);
            }
        }

        throw new InvalidOperationException("the update never started a task");
    }

    private static async Task ScaleAsync(ServicesHarness h, ulong replicas)
    {
        var view = await h.Manager.GetAsync("web");
        await h.Manager.UpdateAsync("web", view.Version, view.Record.Spec with { Mode = ServiceMode.Replicated(replicas) }, rollback: false);
    }
}
