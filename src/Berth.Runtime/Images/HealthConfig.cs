namespace Berth.Runtime.Images;

/// <summary>An image's HEALTHCHECK; durations are nanoseconds, as Docker stores them.</summary>
public sealed record HealthConfig
{
    public IReadOnlyList<string>? Test { get; init; }

    public long Interval { get; init; }

    public long Timeout { get; init; }

    public long StartPeriod { get; init; }

    public int Retries { get; init; }
}
