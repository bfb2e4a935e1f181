namespace Berth.Compose.Model;

/// <summary><c>limits:</c> or <c>reservations:</c> of <c>deploy.resources</c>.</summary>
public sealed record ComposeResourceAmounts
{
    /// <summary>CPUs in billionths (<c>cpus: "0.5"</c> is 500,000,000); 0 when not set.</summary>
    public long NanoCpus { get; init; }

    /// <summary><c>memory:</c> in bytes (<c>512M</c>, <c>1gb</c>); 0 when not set.</summary>
    public long MemoryBytes { get; init; }

    /// <summary><c>pids:</c> (limits only); 0 when not set.</summary>
    public long Pids { get; init; }
}
