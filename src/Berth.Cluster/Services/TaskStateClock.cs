using Berth.Cluster.Identity;

namespace Berth.Cluster.Services;

/// <summary>
/// When each task's current state, and its current desired state, began on the orchestrating manager's clock. An agent
/// stamps its report with its own node's clock, and a desired state carries the stamp of the leader that set it (a
/// previous leader, perhaps), either of which may be minutes or an hour off this manager's; delays counted from such a
/// stamp (restart delay, update delay and monitor, stop and remove timeouts) would then fall due at once or an hour
/// late. So a stamp is believed only within what this manager saw itself: never later than now, and for a state that
/// appeared since the previous snapshot, never earlier than that snapshot's read (the record was not there yet). A
/// state already seen keeps the time it was given first.
/// </summary>
/// <remarks>
/// Memory of the leading manager for one term, bounded by the store's tasks (forgotten with them). A new term has no
/// earlier snapshot. A task's state then takes its stamp, no later than now: a report from a clock behind may shorten
/// one restart or update delay once. A desired state takes the first read, at the earliest: a stop or remove timeout
/// that ran under the previous leader starts again, whole, rather than let a slot's next task start beside a task that
/// may still run (a timeout cut short) — a new leader waits at most one timeout more.
/// </remarks>
internal sealed class TaskStateClock
{
    private Dictionary<TaskId, Seen> _seen = [];
    private DateTimeOffset? _previousRead;

    /// <summary>Takes in one snapshot's tasks, read from <paramref name="readAt"/>, with <paramref name="now"/> the pass's time.</summary>
    public void Observe(IReadOnlyList<TaskEntry> tasks, DateTimeOffset readAt, DateTimeOffset now)
    {
        var seen = new Dictionary<TaskId, Seen>(tasks.Count);
        foreach (TaskEntry task in tasks)
        {
            bool known = _seen.TryGetValue(task.Record.Id, out Seen before);
            seen[task.Record.Id] = new Seen(
                task.State,
                known && before.State == task.State ? before.Since : Bounded(task.StateSince, _previousRead, now),
                task.Record.DesiredState,
                known && before.Desired == task.Record.DesiredState ? before.DesiredSince : Bounded(task.Record.UpdatedAt, _previousRead ?? readAt, now));
        }

        _seen = seen;
        _previousRead = readAt;
    }

    /// <summary>When <paramref name="task"/>'s state began (its stamp, bounded by now, for a task the last snapshot did not have).</summary>
    public DateTimeOffset Since(TaskEntry task, DateTimeOffset now) =>
        _seen.TryGetValue(task.Record.Id, out Seen known) && known.State == task.State ? known.Since : Bounded(task.StateSince, null, now);

    /// <summary>
    /// When <paramref name="task"/>'s desired state was set (for one set in the current pass, or not yet observed: its
    /// stamp, within the last read and now).
    /// </summary>
    public DateTimeOffset DesiredSince(TaskEntry task, DateTimeOffset now) =>
        _seen.TryGetValue(task.Record.Id, out Seen known) && known.Desired == task.Record.DesiredState
            ? known.DesiredSince
            : Bounded(task.Record.UpdatedAt, _previousRead, now);

    /// <summary>Forgets everything: the next snapshot is a first one (leadership lost, or a new term began).</summary>
    public void Reset()
    {
        _seen = [];
        _previousRead = null;
    }

    private static DateTimeOffset Bounded(DateTimeOffset stamp, DateTimeOffset? notBefore, DateTimeOffset notAfter)
    {
        DateTimeOffset since = notBefore is { } floor && stamp < floor ? floor : stamp;
        return since > notAfter ? notAfter : since;
    }

    private readonly record struct Seen(TaskState State, DateTimeOffset Since, TaskState Desired, DateTimeOffset DesiredSince);
}
