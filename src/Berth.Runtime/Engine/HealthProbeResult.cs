namespace Berth.Runtime.Engine;

/// <summary>One probe, as State.Health.Log shows it. Exit code -1: the probe did not finish (timeout, no start).</summary>
public sealed record HealthProbeResult(DateTimeOffset Start, DateTimeOffset End, int ExitCode, string Output);
