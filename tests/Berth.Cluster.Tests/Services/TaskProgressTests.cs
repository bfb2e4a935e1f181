using Berth.Cluster.Services;
using Berth.Runtime.Engine;

namespace Berth.Cluster.Tests.Services;

/// <summary>A task's state from its container's status and health, as swarmkit's controller reports it; and what the orchestrator makes of an unhealthy one.</summary>
public sealed class TaskProgressTests
{
    [Theory]
    [InlineData(ContainerStatus.Running, 0, null, TaskState.Running, "started", "")]
    [InlineData(ContainerStatus.Running, 0, HealthStatus.Starting, TaskState.Starting, "starting", "")]
    [InlineData(ContainerStatus.Running, 0, HealthStatus.Healthy, TaskState.Running, "started", "")]
    [InlineData(ContainerStatus.Exited, 0, null, TaskState.Complete, "finished", "")]
    [InlineData(ContainerStatus.Exited, 0, HealthStatus.Healthy, TaskState.Complete, "finished", "")]
    [InlineData(ContainerStatus.Exited, 2, null, TaskState.Failed, "failed", "task: non-zero exit (2)")]
    [InlineData(ContainerStatus.Exited, 2, HealthStatus.Starting, TaskState.Failed, "failed", "task: non-zero exit (2)")]
    [InlineData(ContainerStatus.Exited, 137, HealthStatus.Unhealthy, TaskState.Failed, "failed", "task: non-zero exit (137): dockerexec: unhealthy container")]
    [InlineData(ContainerStatus.Exited, 0, HealthStatus.Unhealthy, TaskState.Failed, "failed", "task: unhealthy container")]
    public void AContainerSaysWhereItsTaskIs(ContainerStatus status, int exitCode, HealthStatus? health, TaskState state, string message, string error)
    {
        Assert.Equal(new TaskProgress(state, message, error), TaskProgress.Of(status, exitCode, health));
        Assert.False(TaskProgress.MustStop(status, health));
    }

    [Theory]
    [InlineData(ContainerStatus.Created)]
    [InlineData(ContainerStatus.Restarting)]
    public void AContainerInBetweenSaysNothing(ContainerStatus status) => Assert.Null(TaskProgress.Of(status, 0, null));

    [Fact]
    public void ARunningUnhealthyContainerIsStoppedBeforeItsTaskSaysAnything()
    {
        Assert.True(TaskProgress.MustStop(ContainerStatus.Running, HealthStatus.Unhealthy));
        Assert.Null(TaskProgress.Of(ContainerStatus.Running, 0, HealthStatus.Unhealthy));
    }

    [Fact]
    public async Task AnUnhealthyTaskIsReplacedUnderOnFailureEvenWhenItsContainerExitedZero()
    {
        await using var h = new ServicesHarness();
        await h.LeadAsync();
        await h.AddNodeAsync("a");
        var spec = ServicesHarness.Spec("web") with
        {
            Task = ServicesHarness.Spec("web").Task with { Restart = new TaskRestartPolicy { Condition = RestartCondition.OnFailure, Delay = TimeSpan.Zero } },
        };
        var id = (await h.Manager.CreateAsync(spec)).Id;
        await h.ConvergeAsync(1);
        var unhealthy = Assert.Single(await h.LiveAsync(id));

        // A program that exits 0 on SIGTERM: the task still failed (it was stopped for its health).
        var progress = TaskProgress.Of(ContainerStatus.Exited, 0, HealthStatus.Unhealthy)!;
        await h.ReportAsync(unhealthy.Record, progress.State, exitCode: 0);
        await h.ConvergeAsync(2);

        var replacement = Assert.Single(await h.LiveAsync(id));
        Assert.NotEqual(unhealthy.Record.Id, replacement.Record.Id);
        Assert.Equal((1, 1), (replacement.Record.Slot, replacement.Record.RestartCount));
    }
}
