using System.Collections.Immutable;

namespace Berth.Runtime.Engine;

/// <summary>A container's State.Health: status, consecutive failures, and the last probes (oldest first).</summary>
public sealed record HealthState(HealthStatus Status, int FailingStreak, ImmutableArray<HealthProbeResult> Log)
{
    public static readonly HealthState Starting = new(HealthStatus.Starting, 0, []);
}
