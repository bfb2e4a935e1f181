using System.Diagnostics;

namespace Berth.Bench;

internal static class Poll
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>Waits until <paramref name="done"/> holds, asking every <paramref name="interval"/> (default 5 ms); returns the time it took in ms.</summary>
    public static double Until(Func<bool> done, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            }

            Thread.Sleep(interval ?? DefaultInterval);
        }

        return clock.Elapsed.TotalMilliseconds;
    }
}
