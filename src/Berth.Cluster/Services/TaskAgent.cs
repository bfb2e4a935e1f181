using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Services;

/// <summary>
/// A node's agent: follows the tasks the leader assigned to this node (list, then watch <c>swarm/tasks/</c>), runs
/// each as a container through the engine and reports what it reached in <c>swarm/task-status/&lt;node&gt;/&lt;task&gt;</c>.
/// It never restarts a task by itself (the orchestrator makes a new one); it only brings each container to its task's
/// desired state. Work on one task is serialised, tasks proceed in parallel. The engine's events make a container's
/// exit known at once; a resync every few seconds catches what an event or a watch missed, and adopts at start the
/// containers a previous berthd left.
/// </summary>
public sealed partial class TaskAgent : IAsyncDisposable
{
    private static readonly TimeSpan ResyncEvery = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(500);

    /// <summary>The prefix of a container's health events (moby's <c>health_status: healthy</c>).</summary>
    private const string HealthEvent = "health_status";

    private readonly IStateStore _store;
    private readonly NodeId _node;
    private readonly IContainerEngine _engine;
    private readonly IServiceNetworking _networking;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<TaskId, TaskRecord> _tasks = new();
    private readonly ConcurrentDictionary<TaskId, TaskWork> _work = new();
    private readonly ConcurrentDictionary<TaskId, TaskRunStatus> _reported = new();
    private Task _loops = Task.CompletedTask;

    /// <summary>This node's host facts from its record, read once (for templates); null until then.</summary>
    private SwarmHostFacts? _host;

    /// <summary>Set once the tasks were first listed: before, a container whose task is not known may be one of them.</summary>
    private volatile bool _listed;

    /// <summary>How tasks' secrets and configs reach their containers; null: tasks referencing any are rejected.</summary>
    private readonly Secrets.TaskFileDelivery? _files;

    /// <summary>How a task's missing image is pulled; null: never (the task is rejected).</summary>
    private readonly TaskImages? _images;

    public TaskAgent(IStateStore store, NodeId node, IContainerEngine engine, IServiceNetworking networking, TimeProvider time, ILogger logger,
        Secrets.TaskFileDelivery? files = null, TaskImages? images = null)
    {
        _files = files;
        _images = images;
        _store = store;
        _node = node;
        _engine = engine;
        _networking = networking;
        _time = time;
        _logger = logger;
    }

    public void Start()
    {
        var stopping = _stopping.Token;
        _loops = Task.WhenAll(Task.Run(() => FollowTasksAsync(stopping), stopping), Task.Run(() => FollowEventsAsync(stopping), stopping), Task.Run(() => ResyncAsync(stopping), stopping));
    }

    /// <summary>Stops following; the containers keep running (a berthd back later adopts them).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var work in _work.Values)
        {
            await work.DrainAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task FollowTasksAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                long revision = await _store.GetRevisionAsync(stopping).ConfigureAwait(false);
                await ListAsync(stopping).ConfigureAwait(false);
                await foreach (var change in _store.WatchAsync(ClusterKeys.Tasks, revision, stopping).ConfigureAwait(false))
                {
                    Changed(change);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is BerthException or StoreWatchLostException or InvalidOperationException or IOException or OperationCanceledException)
            {
                // Whatever a store cut off throws, this loop must go on: if it ended, the node would never learn that
                // its tasks were shut down elsewhere and would run them on (a manager partitioned and healed did).
                ServicesAgentLog.WatchLost(_logger, e.Message);
                await DelayAsync(Retry, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var listed = new HashSet<TaskId>();
        foreach (var entry in await _store.ListAsync(ClusterKeys.Tasks, cancellationToken).ConfigureAwait(false))
        {
            if (Read(entry) is { } task && task.Node == _node)
            {
                listed.Add(task.Id);
                _tasks[task.Id] = task;
                Kick(task.Id);
            }
        }

        foreach (var gone in _tasks.Keys.Where(id => !listed.Contains(id)).ToList())
        {
            _tasks.TryRemove(gone, out _);
            Kick(gone);
        }

        if (!_listed)
        {
            SweepFiles();
        }

        _listed = true;
    }

    private void Changed(StoreEvent change)
    {
        if (!TaskId.TryParse(change.Key[ClusterKeys.Tasks.Length..], out var id))
        {
            return;
        }

        if (change.Entry is { } entry && Read(entry) is { } task && task.Node == _node)
        {
            _tasks[id] = task;
        }
        else if (!_tasks.TryRemove(id, out _))
        {
            return;
        }

        Kick(id);
    }

    private TaskRecord? Read(StoreEntry entry)
    {
        try
        {
            return JsonSerializer.Deserialize(entry.Value.Span, ServicesJsonContext.Default.TaskRecord);
        }
        catch (JsonException e)
        {
            ServicesAgentLog.BadRecord(_logger, entry.Key, e.Message);
            return null;
        }
    }

    /// <summary>Container starts, exits, removals and health changes (<c>health_status: healthy</c>, <c>…: unhealthy</c>), as they happen.</summary>
    private async Task FollowEventsAsync(CancellationToken stopping)
    {
        using var subscription = _engine.Events.Subscribe();
        try
        {
            await foreach (var change in subscription.Live.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                if (change.Type == "container" && (change.Action is "die" or "destroy" or "start" || change.Action.StartsWith(HealthEvent, StringComparison.Ordinal))
                    && TaskContainers.TaskOf(change.Attributes) is { } task)
                {
                    Kick(task);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task ResyncAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            foreach (var id in _tasks.Keys.Concat(TaskContainersHere().Keys).Distinct())
            {
                Kick(id);
            }

            if (!await DelayAsync(ResyncEvery, stopping).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Task id → its container on this node (the newest, should a crash have left two).</summary>
    private Dictionary<TaskId, ContainerRecord> TaskContainersHere()
    {
        var found = new Dictionary<TaskId, ContainerRecord>();
        foreach (var container in _engine.Queries.List())
        {
            if (TaskContainers.TaskOf(container.Spec.Labels) is { } task && !found.ContainsKey(task))
            {
                found[task] = container;
            }
        }

        return found;
    }

    /// <summary>Schedules a look at one task; a look already under way looks once more after it.</summary>
    private void Kick(TaskId id)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _work.GetOrAdd(id, static (id, agent) => new TaskWork(id, agent), this).Kick();
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
