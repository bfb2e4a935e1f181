using Berth.Cluster.Swarm;

namespace Berth.Cluster.Services;

/// <summary>Task history per slot, and the tasks of removed services.</summary>
public sealed partial class ServiceOrchestrator
{
    /// <summary>Keeps at most <paramref name="limit"/> tasks per slot (the swarm's task history): older finished ones go, with their reports.</summary>
    private void TrimHistory(ServicePass pass, long limit)
    {
        foreach (var slot in pass.Tasks.GroupBy(t => SlotKey(t.Record)).ToList())
        {
            // The live task first, then newest first (tasks made in one instant: the later restart first).
            var newestFirst = slot.OrderByDescending(t => t.Record.DesiredState == TaskState.Running)
                .ThenByDescending(t => t.Record.CreatedAt)
                .ThenByDescending(t => t.Record.RestartCount);
            foreach (TaskEntry old in newestFirst.Skip((int)Math.Clamp(limit, 0, int.MaxValue)))
            {
                if (old.Record.DesiredState != TaskState.Running && Finished(old))
                {
                    pass.Remove(old);
                }
            }
        }
    }

    /// <summary>Whether a task will not run again: reported terminal, never placed, or its node down or gone.</summary>
    private bool Finished(TaskEntry task) =>
        task.State.IsTerminal() || task.Record.Node is null || HealthOf(task.Record.Node) is NodeHealth.Down or NodeHealth.Gone;

    /// <summary>
    /// A removed service's tasks: each is told to go (desired state remove); its record and report are deleted once
    /// it has stopped, its node is gone, or <see cref="ServiceOrchestratorOptions.RemoveTimeout"/> passed since this
    /// manager saw it told to go.
    /// </summary>
    private OrchestratorPlan RemoveTasks(List<TaskEntry> tasks, DateTimeOffset now)
    {
        var plan = new OrchestratorPlan();
        foreach (TaskEntry task in tasks)
        {
            DateTimeOffset deadline = _stateClock.DesiredSince(task, now) + _options.RemoveTimeout;
            bool timedOut = task.Record.DesiredState == TaskState.Remove && deadline <= now;
            if (Finished(task) || timedOut)
            {
                plan.Delete(ClusterKeys.Task(task.Record.Id), task.Version);
                if (task.Record.Node is { } node)
                {
                    plan.DeleteUnchecked(ClusterKeys.TaskStatus(node, task.Record.Id));
                }
            }
            else if (task.Record.DesiredState != TaskState.Remove)
            {
                plan.Put(ClusterKeys.Task(task.Record.Id), ServiceRecords.Bytes(task.Record with { DesiredState = TaskState.Remove, UpdatedAt = now }), task.Version);
                DueAt(now + _options.RemoveTimeout);
            }
            else
            {
                DueAt(deadline);
            }
        }

        return plan;
    }
}
