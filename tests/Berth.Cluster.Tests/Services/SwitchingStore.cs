using System.Collections.Concurrent;
using Berth.Store;

namespace Berth.Cluster.Tests.Services;

/// <summary>
/// One manager's view of a shared store, with a hook run once before or after its next transaction (a leader change
/// mid-pass); it counts the listings made through it by prefix.
/// </summary>
internal sealed class SwitchingStore(InMemoryStateStore inner) : IStateStore
{
    private Func<Task>? _before;
    private Func<Task>? _after;

    public int Refused { get; private set; }

    public ConcurrentDictionary<string, int> Listings { get; } = new(StringComparer.Ordinal);

    public void BeforeNextTransaction(Func<Task> hook) => _before = hook;

    public void AfterNextTransaction(Func<Task> hook) => _after = hook;

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => inner.GetRevisionAsync(cancellationToken);

    public Task<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<IReadOnlyList<StoreEntry>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        Listings.AddOrUpdate(prefix, 1, (_, n) => n + 1);
        return inner.ListAsync(prefix, cancellationToken);
    }

    public Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) => inner.PutAsync(key, value, cancellationToken);

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public async Task<StoreTransactionResult> TransactAsync(StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _before, null) is { } before)
        {
            await before();
        }

        var result = await inner.TransactAsync(transaction, cancellationToken);
        Refused += result.Succeeded ? 0 : 1;
        if (Interlocked.Exchange(ref _after, null) is { } after)
        {
            await after();
        }

        return result;
    }

    public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision = 0, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(prefix, afterRevision, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
