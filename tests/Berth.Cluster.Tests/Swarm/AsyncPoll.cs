namespace Berth.Cluster.Tests.Swarm;

/// <summary>Waits for an asynchronous condition with a deadline (the swarm's loops look every 1.5 s), never "sleep and hope".</summary>
internal static class AsyncPoll
{
    private static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>True as soon as <paramref name="condition"/> holds; false when <paramref name="within"/> (10 s) passed first.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWithin);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(Interval);
        }

        return false;
    }
}
