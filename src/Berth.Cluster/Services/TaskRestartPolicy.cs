namespace Berth.Cluster.Services;

public enum RestartCondition
{
    None,
    OnFailure,
    Any,
}

/// <summary>
/// <c>--restart-condition/-delay/-max-attempts/-window</c>. Null fields are Docker's defaults: delay 5 s, no limit on
/// attempts, and a window of 0 (every restart counts).
/// </summary>
public sealed record TaskRestartPolicy
{
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(5);

    public RestartCondition Condition { get; init; } = RestartCondition.Any;

    public TimeSpan? Delay { get; init; }

    /// <summary>Null or 0: no limit.</summary>
    public ulong? MaxAttempts { get; init; }

    public TimeSpan? Window { get; init; }
}
