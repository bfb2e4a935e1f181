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

    [Fact]
    public async Task APausedContainerIsNotProbedAndKeepsItsHealth()
    {
        bool paused = false;
        int probes = 0;
        using var stop = new CancellationTokenSource();
        var fast = Check with { Interval = TimeSpan.FromMilliseconds(10), StartInterval = TimeSpan.FromMilliseconds(10) };
        var published = new List<HealthStatus>();
        var monitor = new HealthMonitor(fast, DateTimeOffset.UtcNow, _ =>
        {
            Interlocked.Increment(ref probes);
            return Task.FromResult((1, "failing"));
        }, TimeProvider.System, s => { lock (published) { published.Add(s.Status); } }, paused: () => Volatile.Read(ref paused));
        Volatile.Write(ref paused, true);
        var loop = monitor.RunAsync(stop.Token);
        await Task.Delay(200);
        Assert.Equal(0, Volatile.Read(ref probes));
        Assert.Equal(HealthStatus.Starting, monitor.State.Status);

        Volatile.Write(ref paused, false);
        await Task.Delay(200);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        Assert.True(Volatile.Read(ref probes) >= 2, $"{probes} probes after the thaw");
        Assert.Equal(HealthStatus.Unhealthy, monitor.State.Status);
    }

    [Fact]
    public void ProbesComeEveryStartIntervalWhileStartingInTheStartPeriodAndEveryIntervalOtherwise()
    {
        var check = new Healthcheck(["true"], TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60), 3) { StartInterval = TimeSpan.FromSeconds(1) };
        Assert.Equal(TimeSpan.FromSeconds(1), check.NextDelay(HealthStatus.Starting, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(1), check.NextDelay(HealthStatus.Starting, TimeSpan.FromSeconds(59)));
        Assert.Equal(TimeSpan.FromSeconds(30), check.NextDelay(HealthStatus.Starting, TimeSpan.FromSeconds(60))); // the period is over
        Assert.Equal(TimeSpan.FromSeconds(30), check.NextDelay(HealthStatus.Healthy, TimeSpan.FromSeconds(5))); // healthy already
        Assert.Equal(TimeSpan.FromSeconds(30), (check with { StartPeriod = TimeSpan.Zero }).NextDelay(HealthStatus.Starting, TimeSpan.Zero)); // no start period
    }

    [Fact]
    public void TheStartIntervalIsMergedOverTheImagesValidatedAndDefaultsToDockers()
    {
        var image = new Berth.Runtime.Images.HealthConfig { Test = ["CMD", "true"], StartPeriod = 60_000_000_000, StartInterval = 2_000_000_000 };
        Assert.Equal(TimeSpan.FromSeconds(2), Healthcheck.Resolve(new Berth.Runtime.Images.HealthConfig { Interval = 10_000_000_000 }, image)!.StartInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), Healthcheck.Resolve(new Berth.Runtime.Images.HealthConfig { StartInterval = 500_000_000 }, image)!.StartInterval);
        Assert.Equal(Healthcheck.DefaultStartInterval, Healthcheck.Resolve(image with { StartInterval = 0 }, null)!.StartInterval);
        var bad = Assert.Throws<Berth.Core.Errors.BerthException>(() => Healthcheck.Validate(new Berth.Runtime.Images.HealthConfig { StartInterval = 10 }));
        Assert.Equal("StartInterval in Healthcheck cannot be less than 1ms", bad.Message);
    }

    [Theory]
    [InlineData(200, "200ms")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(1_500, "1.5s")]
    public void DurationsReadAsGoPrintsThem(int milliseconds, string text) =>
        Assert.Equal(text, HealthMonitor.GoDuration(TimeSpan.FromMilliseconds(milliseconds)));
}
