using Berth.Runtime.Engine;

namespace Berth.Runtime.Tests.Engine;

public sealed class HealthMonitorTests
{
    private static readonly Healthcheck Check = new(["test", "-f", "/tmp/ok"], TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300), TimeSpan.Zero, Retries: 2);

    /// <summary>A clock that only moves when told.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task ProbesAreAppliedAndPublishedInOrder()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));
        var published = new List<HealthStatus>();
        var outcomes = new Queue<(int, string)>([(1, "missing"), (1, "missing"), (0, "")]);
        var monitor = new HealthMonitor(Check, clock.Now, _ =>
        {
            clock.Now = clock.Now.AddMilliseconds(50);
            return Task.FromResult(outcomes.Dequeue());
        }, clock, s => published.Add(s.Status));

        Assert.Equal(HealthStatus.Starting, (await monitor.ProbeOnceAsync(CancellationToken.None)).Status);
        Assert.Equal(HealthStatus.Unhealthy, (await monitor.ProbeOnceAsync(CancellationToken.None)).Status);
        var healthy = await monitor.ProbeOnceAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal([HealthStatus.Starting, HealthStatus.Starting, HealthStatus.Unhealthy, HealthStatus.Healthy], published);
        Assert.Equal(["missing", "missing", ""], healthy.Log.Select(r => r.Output));
        Assert.All(healthy.Log, r => Assert.Equal(TimeSpan.FromMilliseconds(50), r.End - r.Start));
    }

    [Fact]
    public async Task AProbeCutOffByItsTimeoutIsAFailureWithDockersMessage()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var monitor = new HealthMonitor(Check, clock.Now, token => Task.FromCanceled<(int, string)>(new CancellationToken(canceled: true)), clock, _ => { });
        var state = await monitor.ProbeOnceAsync(CancellationToken.None);
        var probe = Assert.Single(state.Log);
        Assert.Equal(HealthMonitor.TimedOutExitCode, probe.ExitCode);
        Assert.Equal("Health check exceeded timeout (300ms)", probe.Output);
        Assert.Equal(1, state.FailingStreak);
    }

    [Fact]
    public async Task OutputIsCutToDockersLimit()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var monitor = new HealthMonitor(Check, clock.Now, _ => Task.FromResult((0, new string('x', 10_000))), clock, _ => { });
        Assert.Equal(HealthMonitor.MaxOutputBytes, (await monitor.ProbeOnceAsync(CancellationToken.None)).Log[0].Output.Length);
    }

    [Theory]
    [InlineData(200, "200ms")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(1_500, "1.5s")]
    public void DurationsReadAsGoPrintsThem(int milliseconds, string text) =>
        Assert.Equal(text, HealthMonitor.GoDuration(TimeSpan.FromMilliseconds(milliseconds)));
}
