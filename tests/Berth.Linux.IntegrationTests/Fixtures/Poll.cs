namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>Waits for a condition with a deadline, never "sleep and hope".</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>True as soon as <paramref name="condition"/> holds; false when the deadline passed first.</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (condition())
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            Thread.Sleep(Interval);
        }
    }
}
