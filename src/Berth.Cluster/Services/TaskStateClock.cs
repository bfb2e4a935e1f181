using Berth.Cluster.Identity;

namespace Berth.Cluster.Services;

/// <summary>
/// When each task's current state began, on the orchestrating manager's clock. An agent stamps its report with its own
/// node's clock, which may be minutes or an hour off the manager's; delays counted from that stamp (restart delay,
/// update delay and monitor) would then fall due at once or an hour late. So a stamp is believed only within what this
/// manager saw itself: never later than now, and for a state that appeared since the previous snapshot, never earlier
/// than that snapshot's read (the report was not there yet). A state already seen keeps the time it was given first.
/// </summary>
/// <remarks>
/// Memory of the leading manager, bounded by the store's tasks (forgotten with them). A new leader has no earlier
/// snapshot, so it takes a stamp no later than its now: a report from a clock behind may shorten one delay once.
/// </remarks>
internal sealed class TaskStateClock
{
    private Dictionary<TaskId, (TaskState State, DateTimeOffset Since)> _seen = [];
    private DateTimeOffset? _previousRead;

    /// <summary>Takes in one snapshot's tasks, read from <paramref name="readAt"/>, with <paramref name="now"/> the pass's time.</summary>
    public void Observe(IReadOnlyList<TaskEntry> tasks, DateTimeOffset readAt, DateTimeOffset now)
    {
        var seen = new Dictionary<TaskId, (TaskState State, DateTimeOffset Since)>(tasks.Count);
        foreach (TaskEntry task in tasks)
        {
            seen[task.Record.Id] = _seen.TryGetValue(task.Record.Id, out var known) && known.State == task.State
                ? known
                : (task.State, Bounded(task.StateSince, _previousRead, now));
        }

        _seen = seen;
        _previousRead = readAt;
    }

    /// <summary>When <paramref name="task"/>'s state began (its stamp, bounded by now, for a task the last snapshot did not have).</summary>
    public DateTimeOffset Since(TaskEntry task, DateTimeOffset now) =>
        _seen.TryGetValue(task.Record.Id, out var known) && known.State == task.State ? known.Since : Bounded(task.StateSince, null, now);

    /// <summary>Forgets everything: the next snapshot is a first one (leadership lost).</summary>
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
}
