namespace Berth.Cluster.Services;

/// <summary>
/// Rolling updates and rollbacks, derived from the store at each pass: a slot whose task was made from an older spec
/// version is replaced (stop-first: shut down, and the slot logic starts the new one once the old has stopped;
/// start-first: the new one first, the old shut down when the new reports running), at most Parallelism slots at a
/// time, a slot busy until its new task runs and Delay has passed. A new task failing during the update acts on the
/// failure action; the update completes once every slot is current and has run for Monitor.
/// </summary>
public sealed partial class ServiceOrchestrator
{
    private void RollUpdate(ServicePass pass, ServiceScheduler scheduler)
    {
        ServiceUpdateStatus? status = pass.Record.UpdateStatus;
        if (status?.State is ServiceUpdateState.Paused or ServiceUpdateState.RollbackPaused)
        {
            return;
        }

        bool rollingBack = status?.State == ServiceUpdateState.RollbackStarted;
        bool inUpdate = status?.State is ServiceUpdateState.Updating or ServiceUpdateState.RollbackStarted;
        UpdatePolicy policy = (rollingBack ? pass.Record.Spec.Rollback : pass.Record.Spec.Update) ?? UpdatePolicy.Default;
        long version = pass.Record.SpecVersion;
        DateTimeOffset started = status?.StartedAt ?? DateTimeOffset.MinValue;
        int replicas = (int)Math.Min(pass.Record.Spec.Mode.Replicas, int.MaxValue);
        bool global = pass.Record.Spec.Mode.IsGlobal;

        if (inUpdate && ActOnFailure(pass, policy, rollingBack, started))
        {
            return;
        }

        var slots = pass.Tasks
            .Where(t => t.Record.DesiredState == TaskState.Running && (global || t.Record.Slot <= replicas))
            .GroupBy(t => SlotKey(t.Record))
            .OrderBy(g => g.First().Record.Slot).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        int busy = global ? 0 : Math.Max(0, replicas - slots.Count);
        var candidates = new List<List<TaskEntry>>();
        bool monitoring = false;
        foreach (var slot in slots)
        {
            var stale = slot.Where(t => t.Record.SpecVersion < version).ToList();
            TaskEntry? fresh = slot.FirstOrDefault(t => t.Record.SpecVersion >= version);
            if (stale.Count > 0 && fresh is not null)
            {
                // Start-first under way: the old task goes once the new one runs.
                busy++;
                if (fresh.State == TaskState.Running)
                {
                    foreach (TaskEntry old in stale)
                    {
                        pass.Change(old, old.Record with { DesiredState = TaskState.Shutdown, Message = "task: replaced by an update" });
                    }
                }

                continue;
            }

            if (stale.Count > 0)
            {
                candidates.Add(stale);
                continue;
            }

            if (!inUpdate || fresh is null || fresh.Record.CreatedAt < started)
            {
                continue;
            }

            if (fresh.State is not TaskState.Running)
            {
                busy += fresh.State.IsTerminal() ? 0 : 1;
                continue;
            }

            DateTimeOffset running = _stateClock.Since(fresh, pass.Now);
            if (running + policy.Delay > pass.Now)
            {
                busy++;
                DueAt(running + policy.Delay);
            }

            if (running + policy.Monitor > pass.Now)
            {
                monitoring = true;
                DueAt(running + policy.Monitor);
            }
        }

        int capacity = policy.Parallelism == 0 ? int.MaxValue : Math.Max(0, (int)Math.Min(policy.Parallelism, int.MaxValue) - busy);
        foreach (var stale in candidates.Take(capacity))
        {
            if (policy.Order == UpdateOrder.StartFirst)
            {
                pass.Add(NewTask(pass, stale[0].Record.Slot, global ? stale[0].Record.Node : null, 0, scheduler));
            }
            else
            {
                foreach (TaskEntry old in stale)
                {
                    pass.Change(old, old.Record with { DesiredState = TaskState.Shutdown, Message = "task: shut down for an update" });
                }
            }
        }

        if (inUpdate && candidates.Count == 0 && busy == 0 && !monitoring)
        {
            var done = new ServiceUpdateStatus(rollingBack ? ServiceUpdateState.RollbackCompleted : ServiceUpdateState.Completed, started)
            {
                CompletedAt = pass.Now,
                Message = rollingBack ? "rollback completed" : "update completed",
            };
            pass.ChangeService(pass.Record with { UpdateStatus = done });
            ServicesLog.UpdateState(_logger, pass.Record.Id.Value, done.State.ToString(), done.Message);
        }
    }

    /// <summary>
    /// A task of this update that failed (or ended early) while the failure ratio is exceeded: pause, roll back to the
    /// previous spec (the rollback pauses on a failure of its own), or go on. True when the update stops here.
    /// </summary>
    private bool ActOnFailure(ServicePass pass, UpdatePolicy policy, bool rollingBack, DateTimeOffset started)
    {
        long version = pass.Record.SpecVersion;
        var updated = pass.Tasks.Where(t => t.Record.SpecVersion == version && t.Record.CreatedAt >= started).ToList();
        var failed = updated.Where(IsFailure).ToList();
        int total = pass.Record.Spec.Mode.IsGlobal ? Math.Max(1, updated.Select(t => SlotKey(t.Record)).Distinct().Count())
            : (int)Math.Max(1, Math.Min(pass.Record.Spec.Mode.Replicas, int.MaxValue));
        if (failed.Count == 0 || (double)failed.Count / total <= policy.MaxFailureRatio || policy.FailureAction == UpdateFailureAction.Continue)
        {
            return false;
        }

        string task = failed[0].Record.Id.Value;
        ServiceUpdateStatus next;
        if (policy.FailureAction == UpdateFailureAction.Rollback && !rollingBack && pass.Record.PreviousSpec is { } previous)
        {
            next = new ServiceUpdateStatus(ServiceUpdateState.RollbackStarted, pass.Now) { Message = $"update rolled back due to failure or early termination of task {task}" };
            pass.ChangeService(pass.Record with
            {
                Spec = previous,
                PreviousSpec = pass.Record.Spec,
                SpecVersion = version + 1,
                UpdatedAt = pass.Now,
                UpdateStatus = next,
            });
        }
        else
        {
            next = new ServiceUpdateStatus(rollingBack ? ServiceUpdateState.RollbackPaused : ServiceUpdateState.Paused, started)
            {
                Message = rollingBack
                    ? $"rollback paused due to failure or early termination of task {task}"
                    : $"update paused due to failure or early termination of task {task}",
            };
            pass.ChangeService(pass.Record with { UpdateStatus = next });
        }

        ServicesLog.UpdateState(_logger, pass.Record.Id.Value, next.State.ToString(), next.Message);
        return true;
    }

    private static bool IsFailure(TaskEntry task) =>
        task.State is TaskState.Failed or TaskState.Rejected
        || (task.State is TaskState.Complete or TaskState.Shutdown && task.Record.DesiredState == TaskState.Running);
}
