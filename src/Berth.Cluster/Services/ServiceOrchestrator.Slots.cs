using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;

namespace Berth.Cluster.Services;

/// <summary>Slots: lost nodes, restarts, replicated slots 1..N, one task per eligible node for global services.</summary>
public sealed partial class ServiceOrchestrator
{
    /// <summary>A slot's identity: its number (replicated) or its node (global).</summary>
    private static string SlotKey(TaskRecord task) => task.Slot > 0 ? $"slot {task.Slot}" : $"node {task.Node?.Value}";

    /// <summary>Tasks on a node that is down or gone are orphaned; on a drained node they are shut down. Both are replaced by the slot logic.</summary>
    private void HandleLostNodes(ServicePass pass, IReadOnlyDictionary<NodeId, NodeRecord> nodes)
    {
        foreach (TaskEntry task in pass.Tasks.Where(t => t.Record.DesiredState == TaskState.Running && t.Record.Node is not null).ToList())
        {
            NodeId node = task.Record.Node!.Value;
            switch (HealthOf(node))
            {
                case NodeHealth.Down or NodeHealth.Gone:
                    pass.Change(task, task.Record with
                    {
                        DesiredState = TaskState.Shutdown,
                        State = task.State.IsTerminal() ? task.Record.State : TaskState.Orphaned,
                        Message = HealthOf(node) == NodeHealth.Down ? "task: node is down" : "task: node was removed from the swarm",
                    });
                    break;
                case NodeHealth.Alive when nodes.TryGetValue(node, out NodeRecord? record) && record.Availability == NodeAvailability.Drain:
                    pass.Change(task, task.Record with { DesiredState = TaskState.Shutdown, Message = "task: node is drained" });
                    break;
            }
        }
    }

    /// <summary>
    /// The restart policy: a task that ended while still desired running is shut down and replaced in its slot (one
    /// restart more) once its delay has passed, if its condition asks and its attempts in the window are not used up;
    /// otherwise it keeps the slot, finished.
    /// </summary>
    private void HandleRestarts(ServicePass pass, ServiceScheduler scheduler)
    {
        ulong replicas = pass.Record.Spec.Mode.Replicas;
        foreach (TaskEntry task in pass.Tasks.Where(t => t.Record.DesiredState == TaskState.Running && t.State.IsTerminal()).ToList())
        {
            if ((!pass.Record.Spec.Mode.IsGlobal && (ulong)task.Record.Slot > replicas)
                || (pass.Record.Spec.Mode.IsGlobal && scheduler.Ineligible(pass.Rules, task.Record.Node!.Value) is not null))
            {
                continue;
            }

            TaskRestartPolicy policy = task.Record.Spec.Restart ?? new TaskRestartPolicy();
            if (!ShouldRestart(policy, task) || AttemptsUsedUp(pass, policy, task))
            {
                continue;
            }

            DateTimeOffset due = _stateClock.Since(task, pass.Now) + (policy.Delay ?? TaskRestartPolicy.DefaultDelay);
            if (pass.Now < due)
            {
                DueAt(due);
                continue;
            }

            pass.Change(task, task.Record with { DesiredState = TaskState.Shutdown });
            NodeId? node = pass.Record.Spec.Mode.IsGlobal ? task.Record.Node : null;
            pass.Add(NewTask(pass, task.Record.Slot, node, task.Record.RestartCount + 1, scheduler));
        }
    }

    private static bool ShouldRestart(TaskRestartPolicy policy, TaskEntry task) => policy.Condition switch
    {
        RestartCondition.None => false,
        RestartCondition.OnFailure => !(task.State == TaskState.Complete && (task.Status?.ExitCode ?? 0) == 0),
        _ => true,
    };

    /// <summary>Restarts counted within the window (all of them without one) against the maximum (none: no limit).</summary>
    private static bool AttemptsUsedUp(ServicePass pass, TaskRestartPolicy policy, TaskEntry task)
    {
        if (policy.MaxAttempts is not ({ } max and > 0))
        {
            return false;
        }

        long attempts = policy.Window is { } window && window > TimeSpan.Zero
            ? pass.Tasks.Count(t => SlotKey(t.Record) == SlotKey(task.Record) && t.Record.RestartCount > 0 && t.Record.CreatedAt > pass.Now - window)
            : task.Record.RestartCount;
        return (ulong)attempts >= max;
    }

    /// <summary>Slots 1..Replicas each hold one task desired running; higher slots are shut down (scale down).</summary>
    private void ReconcileReplicated(ServicePass pass, ServiceScheduler scheduler)
    {
        int replicas = (int)Math.Min(pass.Record.Spec.Mode.Replicas, int.MaxValue);
        foreach (TaskEntry task in pass.Tasks.Where(t => t.Record.DesiredState == TaskState.Running && t.Record.Slot > replicas).ToList())
        {
            pass.Change(task, task.Record with { DesiredState = TaskState.Shutdown });
        }

        ShutDownDuplicates(pass);
        var held = pass.Tasks.Where(t => t.Record.DesiredState == TaskState.Running).Select(t => t.Record.Slot).ToHashSet();
        for (int slot = 1; slot <= replicas; slot++)
        {
            if (held.Contains(slot) || !PreviousStopped(pass, t => t.Record.Slot == slot))
            {
                continue;
            }

            pass.Add(NewTask(pass, slot, null, 0, scheduler));
        }
    }

    /// <summary>One task per node that fits the service; a node that no longer fits (constraints, platform) has its task shut down.</summary>
    private void ReconcileGlobal(ServicePass pass, ServiceScheduler scheduler, ServicesSnapshot snapshot)
    {
        ShutDownDuplicates(pass);
        foreach (NodeEntry node in snapshot.Nodes.OrderBy(n => n.Record.Id.Value, StringComparer.Ordinal))
        {
            NodeId id = node.Record.Id;
            var mine = pass.Tasks.Where(t => t.Record.DesiredState == TaskState.Running && t.Record.Node == id).ToList();
            string? why = scheduler.Ineligible(pass.Rules, id);
            if (why is null && mine.Count == 0 && PreviousStopped(pass, t => t.Record.Node == id))
            {
                pass.Add(NewTask(pass, 0, id, 0, scheduler));
            }
            else if (why is "scheduling constraints not satisfied" or "unsupported platform")
            {
                foreach (TaskEntry task in mine)
                {
                    pass.Change(task, task.Record with { DesiredState = TaskState.Shutdown, Message = $"task: node no longer fits the service ({why})" });
                }
            }
        }
    }

    /// <summary>Whether every task told to stop in the slot has stopped (stop-first: the next one starts after).</summary>
    private bool PreviousStopped(ServicePass pass, Func<TaskEntry, bool> inSlot) =>
        pass.Tasks.Where(t => inSlot(t) && t.Record.DesiredState != TaskState.Running).All(t => Stopped(t, pass.Now));

    /// <summary>
    /// A slot holds at most one current task desired running, and one of an older spec beside it only while a
    /// start-first update replaces it. More can only come from a bug or a lost race; the best is kept (running, newest).
    /// </summary>
    private static void ShutDownDuplicates(ServicePass pass)
    {
        long version = pass.Record.SpecVersion;
        var groups = pass.Tasks.Where(t => t.Record.DesiredState == TaskState.Running)
            .GroupBy(t => (SlotKey(t.Record), t.Record.SpecVersion == version))
            .Where(g => g.Count() > 1)
            .ToList();
        foreach (var group in groups)
        {
            foreach (TaskEntry extra in group.OrderByDescending(t => t.State == TaskState.Running).ThenByDescending(t => t.Record.CreatedAt).Skip(1))
            {
                pass.Change(extra, extra.Record with { DesiredState = TaskState.Shutdown, Message = "task: duplicate in its slot" });
            }
        }
    }
}
