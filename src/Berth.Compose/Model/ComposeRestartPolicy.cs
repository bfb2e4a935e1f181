namespace Berth.Compose.Model;

/// <summary><c>deploy.restart_policy</c>.</summary>
/// <param name="Condition"><c>none</c>, <c>on-failure</c> or <c>any</c>; null when not written.</param>
public sealed record ComposeRestartPolicy(string? Condition)
{
    public TimeSpan? Delay { get; init; }

    public ulong? MaxAttempts { get; init; }

    public TimeSpan? Window { get; init; }
}
