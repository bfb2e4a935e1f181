namespace Berth.Cluster.Services;

/// <summary>swarmkit's task states, in their order: a task only moves forward (<see cref="TaskStates"/>).</summary>
public enum TaskState
{
    New,
    Pending,
    Assigned,
    Accepted,
    Preparing,
    Ready,
    Starting,
    Running,
    Complete,
    Shutdown,
    Failed,
    Rejected,
    Remove,
    Orphaned,
}

public static class TaskStates
{
    /// <summary>Complete and after: the task will not run again.</summary>
    public static bool IsTerminal(this TaskState state) => state >= TaskState.Complete;

    /// <summary>Docker's lowercase name (<c>running</c>, <c>shutdown</c>).</summary>
    public static string Name(this TaskState state) => state.ToString().ToLowerInvariant();
}
