namespace Berth.Cluster.Services;

public enum UpdateFailureAction
{
    Pause,
    Continue,
    Rollback,
}

public enum UpdateOrder
{
    StopFirst,
    StartFirst,
}

/// <summary><c>--update-*</c> or <c>--rollback-*</c> (Docker's <c>UpdateConfig</c>).</summary>
public sealed record UpdatePolicy
{
    /// <summary>Docker's defaults: one task at a time, no delay, pause on failure, 5 s monitor, stop-first.</summary>
    public static UpdatePolicy Default { get; } = new();

    /// <summary>Tasks updated at once; 0: all at once.</summary>
    public ulong Parallelism { get; init; } = 1;

    public TimeSpan Delay { get; init; }

    public UpdateFailureAction FailureAction { get; init; } = UpdateFailureAction.Pause;

    public TimeSpan Monitor { get; init; } = TimeSpan.FromSeconds(5);

    public double MaxFailureRatio { get; init; }

    public UpdateOrder Order { get; init; } = UpdateOrder.StopFirst;
}
