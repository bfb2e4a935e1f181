namespace Berth.Runtime.Engine;

/// <summary>
/// Docker's rules for a probe's result (moby <c>handleProbeResult</c>): exit code 0 is healthy and resets the
/// streak; anything else adds to it — except while the container is still starting and within its start
/// period — and the streak reaching the retries makes it unhealthy. The log keeps the last five probes.
/// </summary>
public static class HealthStateMachine
{
    public const int MaxLogEntries = 5;

    public static HealthState Apply(HealthState state, HealthProbeResult result, Healthcheck check, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(check);
        var log = state.Log.Add(result);
        if (log.Length > MaxLogEntries)
        {
            log = log.RemoveRange(0, log.Length - MaxLogEntries);
        }

        if (result.ExitCode == 0)
        {
            return new HealthState(HealthStatus.Healthy, 0, log);
        }

        bool inStartPeriod = state.Status == HealthStatus.Starting && result.Start - startedAt < check.StartPeriod;
        if (inStartPeriod)
        {
            return state with { Log = log };
        }

        int streak = state.FailingStreak + 1;
        return new HealthState(streak >= check.Retries ? HealthStatus.Unhealthy : state.Status, streak, log);
    }
}
