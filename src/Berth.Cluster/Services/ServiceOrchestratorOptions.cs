namespace Berth.Cluster.Services;

/// <summary>The orchestrator's timings.</summary>
public sealed record ServiceOrchestratorOptions
{
    /// <summary>How long a node's heartbeat may be missing before its tasks are rescheduled elsewhere.</summary>
    public TimeSpan NodeDownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A full pass at least this often, whatever the watch says (the safety net).</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a burst of watched changes is gathered before a pass.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long a slot's replacement waits for the task it replaces to report stopped (a live node that never
    /// reports must not hold the slot for ever). Counted on the leader's clock from when it saw the task told to stop.
    /// </summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a removed service's task waits for its node to report it stopped before its keys are deleted anyway.
    /// Counted on the leader's clock from when it saw the task told to go.
    /// </summary>
    public TimeSpan RemoveTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
