using Berth.Runtime.Engine;

namespace Berth.Runtime.Tests.Engine;

public sealed class HealthStateMachineTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 28, 1, 0, 0, TimeSpan.Zero);

    private static readonly Healthcheck Check = new(["true"], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), Retries: 2);

    private static HealthProbeResult Probe(double secondsAfterStart, int exitCode) =>
        new(Started.AddSeconds(secondsAfterStart), Started.AddSeconds(secondsAfterStart + 0.1), exitCode, exitCode == 0 ? "" : "fail");

    private static HealthState Run(HealthState state, params (double At, int Code)[] probes) =>
        probes.Aggregate(state, (s, p) => HealthStateMachine.Apply(s, Probe(p.At, p.Code), Check, Started));

    [Fact]
    public void FailuresInTheStartPeriodDoNotCount()
    {
        var state = Run(HealthState.Starting, (1, 1), (2, 1), (3, 1));
        Assert.Equal(HealthStatus.Starting, state.Status);
        Assert.Equal(0, state.FailingStreak);
        Assert.Equal(3, state.Log.Length);
    }

    [Fact]
    public void AfterTheStartPeriodRetriesFailuresMakeItUnhealthy()
    {
        var state = Run(HealthState.Starting, (11, 1));
        Assert.Equal((HealthStatus.Starting, 1), (state.Status, state.FailingStreak));
        state = Run(state, (12, 1));
        Assert.Equal((HealthStatus.Unhealthy, 2), (state.Status, state.FailingStreak));
        state = Run(state, (13, 1));
        Assert.Equal((HealthStatus.Unhealthy, 3), (state.Status, state.FailingStreak));
    }

    [Fact]
    public void ASuccessIsHealthyAndResetsTheStreakEvenInTheStartPeriod()
    {
        var state = Run(HealthState.Starting, (1, 0));
        Assert.Equal((HealthStatus.Healthy, 0), (state.Status, state.FailingStreak));

        // Once healthy the start period no longer shields failures; one failure is not yet unhealthy.
        state = Run(state, (2, 1));
        Assert.Equal((HealthStatus.Healthy, 1), (state.Status, state.FailingStreak));
        state = Run(state, (3, 1), (4, 0));
        Assert.Equal((HealthStatus.Healthy, 0), (state.Status, state.FailingStreak));
    }

    [Fact]
    public void TheLogKeepsTheLastFiveProbes()
    {
        var state = Run(HealthState.Starting, [.. Enumerable.Range(0, 8).Select(i => (20.0 + i, i % 2))]);
        Assert.Equal(HealthStateMachine.MaxLogEntries, state.Log.Length);
        Assert.Equal([23.0, 24, 25, 26, 27], state.Log.Select(r => (r.Start - Started).TotalSeconds).ToArray());
    }
}
