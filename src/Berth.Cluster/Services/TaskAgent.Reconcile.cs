using System.Collections.Immutable;
using System.Text.Json;
using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Runtime.Engine;

namespace Berth.Cluster.Services;

public sealed partial class TaskAgent
{
    private static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a task taken out of rotation keeps running before it is stopped, so every node's load balancer has
    /// dropped it first (moby's executor: <c>defaultGossipConvergeDelay</c>, 2 s). Here the news travels by the
    /// store's watches, usually in milliseconds; the rest is room for a loaded node.
    /// </summary>
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(2);

    /// <summary>Brings one task's container to what its record asks, and reports where it got. Serialised per task.</summary>
    private async Task ReconcileAsync(TaskId id, CancellationToken cancellationToken)
    {
        // After a restart the resync finds the containers a previous berthd left before the tasks are listed, and
        // before the network layer follows the cluster (their swarm-scoped networks unknown): acting then would
        // remove running tasks as unknown, or stop one whose release cannot find its network. Looked at again shortly.
        if (!_listed || !_networking.Follows(_store))
        {
            if (await DelayAsync(Retry, cancellationToken).ConfigureAwait(false))
            {
                Kick(id);
            }

            return;
        }

        var container = ContainerOf(id);
        if (!_tasks.TryGetValue(id, out var task))
        {
            await ForgetAsync(id, container, cancellationToken).ConfigureAwait(false);
            return;
        }

        var last = await LastReportAsync(id, cancellationToken).ConfigureAwait(false);
        if (task.DesiredState <= TaskState.Running)
        {
            await RunAsync(task, container, last, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await StopAsync(task, container, last, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(TaskRecord task, ContainerRecord? container, TaskRunStatus? last, CancellationToken cancellationToken)
    {
        if (last?.State.IsTerminal() == true)
        {
            return;
        }

        if (container is null)
        {
            if (last is { State: >= TaskState.Starting })
            {
                await ReportAsync(task, TaskState.Failed, null, "task: container removed", "the task's container was removed", cancellationToken).ConfigureAwait(false);
                return;
            }

            await ReportAsync(task, TaskState.Preparing, null, "preparing", "", cancellationToken).ConfigureAwait(false);
            var service = await ServiceAsync(task.ServiceId, cancellationToken).ConfigureAwait(false);
            string? pullProblem = await PullImageAsync(task, cancellationToken).ConfigureAwait(false);
            try
            {
                var template = await TemplateAsync(task, service, cancellationToken).ConfigureAwait(false);
                var spec = TaskContainers.CreateSpec(task, service.Spec.Name, _node, service.Ports, service.IngressNetwork, template);
                var files = await TaskFilesAsync(task, cancellationToken).ConfigureAwait(false);
                try
                {
                    container = await _engine.Lifecycle.CreateAsync(spec with { Mounts = [.. spec.Mounts, .. files] },
                        TaskContainers.ContainerName(task, service.Spec.Name), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (container is null && files.Count > 0)
                    {
                        ReleaseFiles(task.Id);
                    }
                }
            }
            catch (BerthException e)
            {
                // As Docker's, the create's own error ("No such image: …"), with why the pull before it did not help.
                string error = pullProblem is not null && e.Kind == ErrorKind.NotFound ? $"{e.Message} (pulling it failed: {pullProblem})" : e.Message;
                ServicesAgentLog.TaskFailed(_logger, task.Id.Value, "create", error);
                await ReportAsync(task, TaskState.Rejected, null, "rejected", error, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        if (container.Status == ContainerStatus.Created)
        {
            await ReportAsync(task, TaskState.Starting, container, "starting", "", cancellationToken).ConfigureAwait(false);
            try
            {
                // Not cancelled by berthd's shutdown: a start torn half-way leaves conmon running `runc create` and its
                // clean-up waiting for it for the runtime's whole operation timeout (the shutdown with it). A start is
                // short; the container it makes is adopted by the next berthd.
                await _engine.Lifecycle.StartAsync(container.Id.Value, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BerthException e)
            {
                ServicesAgentLog.TaskFailed(_logger, task.Id.Value, "start", e.Message);
                await ReportAsync(task, TaskState.Failed, _engine.Queries.TryGet(container.Id), "starting failed", e.Message, cancellationToken).ConfigureAwait(false);
                return;
            }

            container = _engine.Queries.TryGet(container.Id) ?? container;
        }

        if (TaskProgress.MustStop(container.Status, HealthOf(container)))
        {
            // swarmkit's controller: an unhealthy container is stopped, and its exit fails the task with the cause.
            // Its endpoints already left the service's rotation when the probe found it unhealthy (ServiceRotation).
            ServicesAgentLog.Unhealthy(_logger, task.Id.Value, container.ShortId);
            container = await StopContainerAsync(task, container, cancellationToken).ConfigureAwait(false);
            if (container is null)
            {
                return;
            }
        }

        if (TaskProgress.Of(container.Status, container.ExitCode, HealthOf(container)) is { } progress)
        {
            // Its endpoints were made out of rotation: in once it is running (with a healthcheck: healthy), before it is
            // reported so (a crash in between does it at the next look). Only then, so a task taken out later stays out.
            if (progress.State == TaskState.Running && last?.State != TaskState.Running)
            {
                await _networking.SetInRotationAsync(container.Id.Value, inRotation: true, cancellationToken).ConfigureAwait(false);
            }

            await ReportAsync(task, progress.State, container, progress.Message, progress.Error, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The container's health status; null when it has no healthcheck.</summary>
    private HealthStatus? HealthOf(ContainerRecord container) => _engine.Queries.HealthOf(container.Id)?.Status;

    /// <summary>Stops a running task container (its stop grace period, then SIGKILL); the container as it is afterwards, null once removed.</summary>
    private async Task<ContainerRecord?> StopContainerAsync(TaskRecord task, ContainerRecord container, CancellationToken cancellationToken)
    {
        try
        {
            await _engine.Lifecycle.StopAsync(container.Id.Value, task.Spec.Container.StopGracePeriod ?? DefaultStopGrace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
        }

        return _engine.Queries.TryGet(container.Id);
    }

    private async Task StopAsync(TaskRecord task, ContainerRecord? container, TaskRunStatus? last, CancellationToken cancellationToken)
    {
        if (container is { Status: ContainerStatus.Running or ContainerStatus.Restarting })
        {
            // Out of every node's rotation first, stopped after: a request sent through a VIP meanwhile still finds
            // the task answering instead of a closed port (a start-first update loses nothing).
            if (await _networking.SetInRotationAsync(container.Id.Value, inRotation: false, cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(DrainDelay, _time, cancellationToken).ConfigureAwait(false);
            }

            container = await StopContainerAsync(task, container, cancellationToken).ConfigureAwait(false);
        }

        if (last is null || !last.State.IsTerminal())
        {
            await ReportAsync(task, TaskState.Shutdown, container, "shutdown", "", cancellationToken).ConfigureAwait(false);
        }

        if (task.DesiredState >= TaskState.Remove && container is not null)
        {
            await RemoveContainerAsync(container, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A task no longer this node's (its record deleted): its container goes, and its report with it.</summary>
    private async Task ForgetAsync(TaskId id, ContainerRecord? container, CancellationToken cancellationToken)
    {
        if (container is not null)
        {
            await RemoveContainerAsync(container, cancellationToken).ConfigureAwait(false);
        }

        ReleaseFiles(id);
        if (_reported.TryRemove(id, out _))
        {
            await _store.DeleteAsync(ClusterKeys.TaskStatus(_node, id), cancellationToken).ConfigureAwait(false);
        }

        // A kick racing this finds a new work item and looks again, which finds nothing to do.
        _work.TryRemove(id, out _);
    }

    private async Task RemoveContainerAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        try
        {
            await _engine.Lifecycle.RemoveAsync(container.Id.Value, force: true, removeVolumes: true, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
        }

        if (TaskContainers.TaskOf(container.Spec.Labels) is { } task)
        {
            ReleaseFiles(task);
        }
    }

    private ContainerRecord? ContainerOf(TaskId id) =>
        _engine.Queries.List().FirstOrDefault(container => TaskContainers.TaskOf(container.Spec.Labels) == id);

    /// <summary>What this node last reported for a task; after a restart, read back from the store once.</summary>
    private async Task<TaskRunStatus?> LastReportAsync(TaskId id, CancellationToken cancellationToken)
    {
        if (_reported.TryGetValue(id, out var known))
        {
            return known;
        }

        if (await _store.GetAsync(ClusterKeys.TaskStatus(_node, id), cancellationToken).ConfigureAwait(false) is not { } entry)
        {
            return null;
        }

        try
        {
            var status = JsonSerializer.Deserialize(entry.Value.Span, ServicesJsonContext.Default.TaskRunStatus);
            return status is null ? null : _reported.GetOrAdd(id, status);
        }
        catch (JsonException e)
        {
            ServicesAgentLog.BadRecord(_logger, entry.Key, e.Message);
            return null;
        }
    }

    /// <summary>Writes the task's state if it moved on (states only go forward) or its container's facts changed.</summary>
    private async Task ReportAsync(TaskRecord task, TaskState state, ContainerRecord? container, string message, string error, CancellationToken cancellationToken)
    {
        var last = _reported.GetValueOrDefault(task.Id);
        if (last is not null && (last.State > state || last.State.IsTerminal()))
        {
            return;
        }

        var status = new TaskRunStatus
        {
            Task = task.Id,
            Node = _node,
            State = state,
            Timestamp = _time.GetUtcNow(),
            Message = message,
            Error = error,
            ContainerId = container?.Id.Value,
            Pid = container is { Status: ContainerStatus.Running } ? container.Pid : 0,
            ExitCode = container is { Status: ContainerStatus.Exited } ? container.ExitCode : null,
            Addresses = container is null ? ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal) : AddressesOf(container),
        };

        if (last is not null && last.State == state && last.ContainerId == status.ContainerId && last.Pid == status.Pid && last.ExitCode == status.ExitCode
            && last.Addresses.SequenceEqual(status.Addresses))
        {
            return;
        }

        await _store.PutAsync(ClusterKeys.TaskStatus(_node, task.Id), JsonSerializer.SerializeToUtf8Bytes(status, ServicesJsonContext.Default.TaskRunStatus), cancellationToken).ConfigureAwait(false);
        _reported[task.Id] = status;
        ServicesAgentLog.Reported(_logger, task.Id.Value, state.Name());
    }

    private ImmutableSortedDictionary<string, string> AddressesOf(ContainerRecord container)
    {
        var addresses = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var endpoint in _engine.Queries.EndpointsOf(container.Id))
        {
            if (!endpoint.Hidden && endpoint.IPv4 is { } address)
            {
                addresses[endpoint.NetworkId.Value] = address.ToString();
            }
        }

        return addresses.ToImmutable();
    }

    /// <summary>The task's service as it is now (its name, its published ports), read when the task's container is made.</summary>
    /// <summary>What Docker's templates in the task's spec see: the service, this node (its record's host facts), the task.</summary>
    private async Task<TaskTemplate> TemplateAsync(TaskRecord task, ServiceRecord service, CancellationToken cancellationToken)
    {
        var host = _host ??= await _store.GetAsync(ClusterKeys.Node(_node), cancellationToken).ConfigureAwait(false) is { } entry
            ? SwarmRecords.Node(entry.Value).Host
            : null;
        return new TaskTemplate
        {
            ServiceId = service.Id.Value,
            ServiceName = service.Spec.Name,
            ServiceLabels = service.Spec.Labels,
            NodeId = _node.Value,
            NodeHostname = host?.Hostname ?? System.Net.Dns.GetHostName(),
            NodeOS = host?.OS ?? "linux",
            NodeArchitecture = host?.Architecture ?? "x86_64",
            TaskId = task.Id.Value,
            TaskName = TaskContainers.ContainerName(task, service.Spec.Name),
            TaskSlot = task.Slot,
        };
    }

    private async Task<ServiceRecord> ServiceAsync(ServiceId service, CancellationToken cancellationToken) =>
        await _store.GetAsync(ClusterKeys.Service(service), cancellationToken).ConfigureAwait(false) is { } entry
            && JsonSerializer.Deserialize(entry.Value.Span, ServicesJsonContext.Default.ServiceRecord) is { } record
            ? record
            : throw new BerthException(ErrorKind.NotFound, $"service {service.Value} not found");
}
