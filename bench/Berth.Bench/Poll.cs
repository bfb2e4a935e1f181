using System.Diagnostics;

namespace Berth.Bench;

internal static class Poll
{
    /// <summary>Waits until <paramref name="done"/> holds; returns the time it took in ms.</summary>
    public static double Until(Func<bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            }

            Thread.Sleep(5);
        }

        return clock.Elapsed.TotalMilliseconds;
    }
}
