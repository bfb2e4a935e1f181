using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Core.Containers;
using Berth.Runtime.Engine;
using Berth.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cluster.Tests.Services;

/// <summary>
/// A node's agent over an engine in memory (<see cref="FakeTaskEngine"/>), as swarmkit's controller does it: a task
/// whose container has a healthcheck is <c>starting</c> until healthy, then <c>running</c>; unhealthy, its container is
/// stopped (its grace period) and the task fails with Docker's cause; a container without a healthcheck runs at once.
/// </summary>
public sealed class TaskAgentHealthTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private static readonly TaskHealthcheck FileCheck = new() { Test = ["CMD-SHELL", "test -f /tmp/ok"], Interval = TimeSpan.FromSeconds(1), Retries = 1 };

    private readonly InMemoryStateStore _store = new();
    private readonly NodeId _node = NodeId.New();
    private readonly FakeTaskEngine _engine = new();
    private readonly List<TaskState> _reported = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskAgent _agent = null!;
    private Task _watch = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _agent = new TaskAgent(_store, _node, _engine, new FakeServiceNetworking(), TimeProvider.System, NullLogger.Instance);
        // A revision of 0 would mean "from whenever the watch starts": the agent's first reports could come before.
        long revision = await _store.PutAsync("test/start", "1"u8.ToArray());
        _watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in _store.WatchAsync(ClusterKeys.TaskStatuses, revision, _stop.Token))
                {
                    if (change.Entry is { } entry && ServiceRecords.Status(entry.Value) is { } status)
                    {
                        lock (_reported)
                        {
                            _reported.Add(status.State);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _stop.CancelAsync();
        await _watch;
        _stop.Dispose();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task A_task_with_a_healthcheck_is_starting_until_healthy_then_running_and_fails_when_unhealthy()
    {
        var task = await PutTaskAsync(FileCheck, stopGrace: TimeSpan.FromSeconds(3));
        _agent.Start();

        var starting = await ReportAsync(task, s => s.State == TaskState.Starting && s.Pid != 0);
        Assert.Equal("starting", starting.Message);
        var container = ContainerId.Parse(starting.ContainerId);

        _engine.SetHealth(container, HealthStatus.Healthy);
        Assert.Equal("started", (await ReportAsync(task, s => s.State == TaskState.Running)).Message);

        _engine.SetHealth(container, HealthStatus.Unhealthy);
        var failed = await ReportAsync(task, s => s.State == TaskState.Failed);
        Assert.Equal($"task: non-zero exit ({FakeTaskEngine.StoppedExitCode}): {TaskProgress.UnhealthyCause}", failed.Error);
        Assert.Equal(FakeTaskEngine.StoppedExitCode, failed.ExitCode);
        Assert.Equal([(container, TimeSpan.FromSeconds(3))], _engine.Stops);
        Assert.Equal(ContainerStatus.Exited, _engine.TryGet(container)!.Status);
        Assert.Equal([TaskState.Preparing, TaskState.Starting, TaskState.Running, TaskState.Failed], await DistinctThroughAsync(TaskState.Failed));
    }

    [Fact]
    public async Task A_task_unhealthy_before_its_first_healthy_probe_fails_without_ever_running()
    {
        var task = await PutTaskAsync(FileCheck);
        _agent.Start();
        var container = ContainerId.Parse((await ReportAsync(task, s => s.State == TaskState.Starting && s.Pid != 0)).ContainerId);

        _engine.SetHealth(container, HealthStatus.Unhealthy);
        Assert.Contains(TaskProgress.UnhealthyCause, (await ReportAsync(task, s => s.State == TaskState.Failed)).Error, StringComparison.Ordinal);
        Assert.DoesNotContain(TaskState.Running, Distinct());
        Assert.Single(_engine.Stops);
    }

    [Fact]
    public async Task A_task_without_a_healthcheck_runs_at_once()
    {
        var task = await PutTaskAsync(healthcheck: null);
        _agent.Start();
        var running = await ReportAsync(task, s => s.State == TaskState.Running);
        Assert.Null(_engine.HealthOf(ContainerId.Parse(running.ContainerId)));
        Assert.Equal([TaskState.Preparing, TaskState.Starting, TaskState.Running], await DistinctThroughAsync(TaskState.Running));
        Assert.Empty(_engine.Stops);
    }

    private async Task<TaskRecord> PutTaskAsync(TaskHealthcheck? healthcheck, TimeSpan? stopGrace = null)
    {
        var now = DateTimeOffset.UtcNow;
        var spec = ServicesHarness.Spec("web") with
        {
            Task = new TaskSpec { Container = new ContainerTaskSpec { Image = "busybox:latest", Healthcheck = healthcheck, StopGracePeriod = stopGrace } },
        };
        var service = new ServiceRecord { Id = ServiceId.New(), CreatedAt = now, UpdatedAt = now, Spec = spec };
        var task = new TaskRecord
        {
            Id = TaskId.New(),
            ServiceId = service.Id,
            Slot = 1,
            Node = _node,
            DesiredState = TaskState.Running,
            SpecVersion = service.SpecVersion,
            Spec = spec.Task,
            CreatedAt = now,
            UpdatedAt = now,
            State = TaskState.Assigned,
        };
        await _store.PutAsync(ClusterKeys.Service(service.Id), ServiceRecords.Bytes(service));
        await _store.PutAsync(ClusterKeys.Task(task.Id), ServiceRecords.Bytes(task));
        return task;
    }

    /// <summary>The task's report once it satisfies <paramref name="condition"/>, failing after <see cref="Within"/>.</summary>
    private async Task<TaskRunStatus> ReportAsync(TaskRecord task, Func<TaskRunStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow + Within;
        while (true)
        {
            if (await _store.GetAsync(ClusterKeys.TaskStatus(_node, task.Id)) is { } entry && ServiceRecords.Status(entry.Value) is { } status && condition(status))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"task {task.Id.Value} never reported as asked; reports: {string.Join(", ", Distinct())}");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// <see cref="Distinct"/> once the watch has delivered <paramref name="last"/>: <see cref="ReportAsync"/> reads the
    /// store, the watch may still be behind it on a loaded machine (the cause of this class's flaky runs).
    /// </summary>
    private async Task<List<TaskState>> DistinctThroughAsync(TaskState last)
    {
        var deadline = DateTime.UtcNow + Within;
        while (!Distinct().Contains(last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return Distinct();
    }

    /// <summary>The states reported, in order, repeats of one state folded.</summary>
    private List<TaskState> Distinct()
    {
        lock (_reported)
        {
            return [.. _reported.Where((state, i) => i == 0 || _reported[i - 1] != state)];
        }
    }
}
