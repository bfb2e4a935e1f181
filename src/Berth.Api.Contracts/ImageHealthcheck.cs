namespace Berth.Api.Contracts;

/// <summary>An image's HEALTHCHECK (durations in nanoseconds, as Go writes <c>time.Duration</c>).</summary>
public sealed class ImageHealthcheck
{
    public List<string>? Test { get; set; }

    public long Interval { get; set; }

    public long Timeout { get; set; }

    public long StartPeriod { get; set; }

    public int Retries { get; set; }
}
