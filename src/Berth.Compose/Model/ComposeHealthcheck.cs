using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary><c>healthcheck:</c> of a service; <c>test</c> normalized to Docker's form (<c>["CMD-SHELL", "…"]</c>, <c>["CMD", …]</c>, <c>["NONE"]</c>).</summary>
public sealed record ComposeHealthcheck
{
    public ImmutableArray<string> Test { get; init; } = [];

    public TimeSpan? Interval { get; init; }

    public TimeSpan? Timeout { get; init; }

    public int? Retries { get; init; }

    public TimeSpan? StartPeriod { get; init; }

    /// <summary><c>disable: true</c> (same as test <c>["NONE"]</c>).</summary>
    public bool Disable { get; init; }
}
