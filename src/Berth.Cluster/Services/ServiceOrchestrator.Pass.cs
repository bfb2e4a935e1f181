using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Store;

namespace Berth.Cluster.Services;

/// <summary>One pass: node health, then per service its slots, restarts and update, then history and removed services.</summary>
public sealed partial class ServiceOrchestrator
{
    private enum NodeHealth
    {
        Alive,

        /// <summary>Heartbeat missing, grace not over: its tasks are left alone.</summary>
        Missing,
        Down,

        /// <summary>No record (<c>node rm</c>).</summary>
        Gone,
    }

    /// <summary>What a pass works on for one service: its tasks as changed so far in this pass, and the writes.</summary>
    private sealed class ServicePass(ServiceEntry service, List<TaskEntry> tasks, DateTimeOffset now)
    {
        public ServiceEntry Service { get; set; } = service;

        public ServiceRecord Record => Service.Record;

        public List<TaskEntry> Tasks { get; } = tasks;

        public DateTimeOffset Now { get; } = now;

        public OrchestratorPlan Plan { get; } = new();

        public ServicePlacementRules Rules { get; set; } = ServicePlacementRules.From(service.Record.Id, service.Record.Spec);

        /// <summary>Replaces a task in the pass's view and plans its write (compared against the revision read).</summary>
        public void Change(TaskEntry task, TaskRecord changed)
        {
            int index = Tasks.FindIndex(t => t.Record.Id == task.Record.Id);
            var entry = task with { Record = changed with { UpdatedAt = Now } };
            Tasks[index] = entry;
            Plan.Put(ClusterKeys.Task(changed.Id), ServiceRecords.Bytes(entry.Record), task.Version);
        }

        public void Add(TaskRecord task)
        {
            Tasks.Add(new TaskEntry(task, 0, null));
            Plan.Put(ClusterKeys.Task(task.Id), ServiceRecords.Bytes(task), 0);
        }

        public void Remove(TaskEntry task)
        {
            Tasks.RemoveAll(t => t.Record.Id == task.Record.Id);
            Plan.Delete(ClusterKeys.Task(task.Record.Id), task.Version);
            if (task.Record.Node is { } node)
            {
                Plan.DeleteUnchecked(ClusterKeys.TaskStatus(node, task.Record.Id));
            }
        }

        public void ChangeService(ServiceRecord record)
        {
            Plan.Put(ClusterKeys.Service(record.Id), ServiceRecords.Bytes(record), Service.Version);
            Service = Service with { Record = record };
            Rules = ServicePlacementRules.From(record.Id, record.Spec);
        }
    }

    private Dictionary<NodeId, NodeHealth> _health = [];

    private async Task PassAsync(ServicesSnapshot snapshot, DateTimeOffset readAt, StoreCompare fence, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        _stateClock.Observe(snapshot.Tasks, readAt, now);
        _health = Health(snapshot, now);
        var hostPorts = snapshot.Services.ToDictionary(s => s.Record.Id, s => ServicePlacementRules.HostPortsOf(s.Record.Spec));
        var scheduler = new ServiceScheduler(
            snapshot.Nodes.Select(n => SchedulerNode.From(n.Record, n.Alive)),
            snapshot.Tasks.Where(HoldsNode).Select(t => new ScheduledTask(t.Record.ServiceId, t.Record.Node!.Value, t.Record.Spec.Resources)
            {
                HostPorts = hostPorts.GetValueOrDefault(t.Record.ServiceId, []),
            }));
        var nodes = snapshot.Nodes.ToDictionary(n => n.Record.Id, n => n.Record);
        var byService = snapshot.Tasks.GroupBy(t => t.Record.ServiceId).ToDictionary(g => g.Key, g => g.ToList());
        foreach (ServiceEntry service in snapshot.Services.OrderBy(s => s.Record.Id.Value, StringComparer.Ordinal))
        {
            var pass = new ServicePass(service, byService.GetValueOrDefault(service.Record.Id) ?? [], now);
            ReconcileService(pass, scheduler, snapshot, nodes);
            if (!await CommitAsync(service.Record.Id.Value, pass.Plan, fence, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        var services = snapshot.Services.Select(s => s.Record.Id).ToHashSet();
        foreach (var orphans in byService.Where(g => !services.Contains(g.Key)))
        {
            var plan = RemoveTasks(orphans.Value, now);
            if (!await CommitAsync(orphans.Key.Value, plan, fence, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private void ReconcileService(ServicePass pass, ServiceScheduler scheduler, ServicesSnapshot snapshot, Dictionary<NodeId, NodeRecord> nodes)
    {
        HandleLostNodes(pass, nodes);
        HandleRestarts(pass, scheduler);
        RollUpdate(pass, scheduler);
        if (pass.Record.Spec.Mode.IsGlobal)
        {
            ReconcileGlobal(pass, scheduler, snapshot);
        }
        else
        {
            ReconcileReplicated(pass, scheduler);
        }

        SchedulePending(pass, scheduler);
        TrimHistory(pass, snapshot.TaskHistoryLimit);
    }

    private Dictionary<NodeId, NodeHealth> Health(ServicesSnapshot snapshot, DateTimeOffset now)
    {
        var health = new Dictionary<NodeId, NodeHealth>();
        foreach (NodeEntry node in snapshot.Nodes)
        {
            NodeId id = node.Record.Id;
            if (node.Alive)
            {
                _absentSince.Remove(id);
                health[id] = NodeHealth.Alive;
                continue;
            }

            if (!_absentSince.TryGetValue(id, out DateTimeOffset since))
            {
                _absentSince[id] = since = now;
            }

            bool down = now - since >= _options.NodeDownGrace;
            health[id] = down ? NodeHealth.Down : NodeHealth.Missing;
            if (!down && snapshot.Tasks.Any(t => t.Record.Node == id && t.Record.DesiredState == TaskState.Running))
            {
                DueAt(since + _options.NodeDownGrace);
            }
        }

        foreach (NodeId gone in _absentSince.Keys.Where(id => !health.ContainsKey(id)).ToList())
        {
            _absentSince.Remove(gone);
        }

        return health;
    }

    private NodeHealth HealthOf(NodeId? node) => node is { } id ? _health.GetValueOrDefault(id, NodeHealth.Gone) : NodeHealth.Gone;

    /// <summary>A task that takes room on its node: desired running, placed, not finished.</summary>
    private static bool HoldsNode(TaskEntry task) =>
        task.Record.DesiredState == TaskState.Running && task.Record.Node is not null && !task.State.IsTerminal();

    /// <summary>
    /// Whether a task that was told to stop has stopped, as far as the slot's next task may assume: reported
    /// terminal, never placed, on a node that is down or gone, or silent past the stop timeout (counted from when this
    /// manager saw it told to stop: the record's stamp may come from a previous leader's clock).
    /// </summary>
    private bool Stopped(TaskEntry task, DateTimeOffset now)
    {
        if (task.State.IsTerminal() || task.Record.Node is null || HealthOf(task.Record.Node) is NodeHealth.Down or NodeHealth.Gone)
        {
            return true;
        }

        DateTimeOffset deadline = _stateClock.DesiredSince(task, now) + _options.StopTimeout;
        if (now >= deadline)
        {
            return true;
        }

        DueAt(deadline);
        return false;
    }

    private TaskRecord NewTask(ServicePass pass, int slot, NodeId? node, int restartCount, ServiceScheduler scheduler)
    {
        ServiceRecord service = pass.Record;
        var task = new TaskRecord
        {
            Id = TaskId.New(),
            ServiceId = service.Id,
            Slot = slot,
            DesiredState = TaskState.Running,
            SpecVersion = service.SpecVersion,
            Spec = service.Spec.Task,
            CreatedAt = pass.Now,
            UpdatedAt = pass.Now,
            State = TaskState.Pending,
            RestartCount = restartCount,
        };
        if (node is { } fixedNode)
        {
            scheduler.Add(new ScheduledTask(service.Id, fixedNode, service.Spec.Task.Resources) { HostPorts = pass.Rules.HostPorts });
            return task with { Node = fixedNode, State = TaskState.Assigned };
        }

        PlacementDecision decision = scheduler.Place(pass.Rules);
        return decision.Node is { } chosen ? task with { Node = chosen, State = TaskState.Assigned } : task with { Message = decision.Message };
    }

    /// <summary>Tasks left pending (no node fitted) get another try: nodes may have joined or changed.</summary>
    private static void SchedulePending(ServicePass pass, ServiceScheduler scheduler)
    {
        foreach (TaskEntry task in pass.Tasks.Where(t => t.Record.DesiredState == TaskState.Running && t.Record.Node is null).ToList())
        {
            PlacementDecision decision = scheduler.Place(pass.Rules);
            if (decision.Node is { } node)
            {
                pass.Change(task, task.Record with { Node = node, State = TaskState.Assigned, Message = "" });
            }
            else if (decision.Message != task.Record.Message)
            {
                pass.Change(task, task.Record with { Message = decision.Message });
            }
        }
    }
}
