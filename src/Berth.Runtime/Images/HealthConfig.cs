using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>An image's HEALTHCHECK; durations are nanoseconds, as Docker stores them (zeros left out, as Go's omitempty does).</summary>
public sealed record HealthConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Test { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Interval { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Timeout { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long StartPeriod { get; init; }

    /// <summary>Between probes during the start period (API 1.44, <c>--health-start-interval</c>); 0: Docker's 5 s.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long StartInterval { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Retries { get; init; }
}
