namespace Berth.Store.Tests;

/// <summary>Reads watches with a deadline, so a missing event fails the test instead of hanging it.</summary>
internal static class Watching
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static async Task<List<StoreEvent>> TakeAsync(IAsyncEnumerable<StoreEvent> watch, int count)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var events = new List<StoreEvent>();
        if (count == 0)
        {
            return events;
        }

        await foreach (var storeEvent in watch.WithCancellation(deadline.Token))
        {
            events.Add(storeEvent);
            if (events.Count == count)
            {
                break;
            }
        }

        return events;
    }
}
