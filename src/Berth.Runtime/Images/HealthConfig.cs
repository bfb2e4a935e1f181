namespace Berth.Runtime.Images;

/// <summary>An image's HEALTHCHECK; durations are nanoseconds, as Docker stores them.</summary>
public sealed record HealthConfig
{
    public IReadOnlyList<string>? Test { get; init; }

    public long Interval { get; init; }

    public long Timeout { get; init; }

    public long StartPeriod { get; init; }

    /// <summary>Between probes during the start period (API 1.44, <c>--health-start-interval</c>); 0: Docker's 5 s.</summary>
    public long StartInterval { get; init; }

    public int Retries { get; init; }
}
