using Berth.Runtime.Engine;

namespace Berth.Runtime.Tests.Engine;

/// <summary>The restart delays for given run durations: a clock the test sets, nothing sleeps.</summary>
public sealed class RestartBackoffTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    [Fact]
    public void Delays_start_at_100_ms_and_double_up_to_a_minute()
    {
        var backoff = new RestartBackoff();
        var delays = Enumerable.Range(0, 13).Select(_ => backoff.Next(Short).TotalMilliseconds).ToList();
        Assert.Equal([100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000, 60000], delays);
    }

    [Fact]
    public void A_run_of_ten_seconds_resets_the_delay_and_a_shorter_one_does_not()
    {
        var backoff = new RestartBackoff();
        backoff.Next(Short);
        backoff.Next(Short);
        Assert.Equal(TimeSpan.FromMilliseconds(400), backoff.Next(TimeSpan.FromSeconds(9.999)));
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Next(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.Next(Short));
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Next(TimeSpan.FromHours(3)));
    }

    [Fact]
    public void A_fake_clock_drives_the_schedule_of_a_flapping_container()
    {
        // A container that runs 2 s each time: its starts, on a clock the test advances by each delay.
        var backoff = new RestartBackoff();
        var clock = DateTimeOffset.UnixEpoch;
        var starts = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            var started = clock;
            clock += TimeSpan.FromSeconds(2);
            clock += backoff.Next(clock - started);
            starts.Add((clock - DateTimeOffset.UnixEpoch).TotalMilliseconds);
        }

        Assert.Equal([2100, 4300, 6700, 9500, 13100], starts);
    }
}
