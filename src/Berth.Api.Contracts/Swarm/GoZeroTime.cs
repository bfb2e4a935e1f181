namespace Berth.Api.Contracts;

/// <summary>Go's <c>time.Time</c> in JSON is RFC 3339 with nanoseconds, and its zero value is written, never left out.</summary>
public static class GoZeroTime
{
    /// <summary>How Go writes <c>time.Time{}</c>.</summary>
    public const string Value = "0001-01-01T00:00:00Z";
}
