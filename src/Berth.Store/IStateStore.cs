namespace Berth.Store;

/// <summary>
/// Berth's state: a key-value store with revisions, compare-and-swap transactions and watches.
/// Shaped after etcd's v3 API so an etcd implementation can follow for clusters: every write bumps
/// one store-wide revision; an entry remembers the revision that created it and the one that last
/// changed it. Keys are '/'-separated paths such as <c>networks/&lt;id&gt;</c>.
/// A write that returns has been made durable.
/// </summary>
public interface IStateStore : IAsyncDisposable
{
    /// <summary>The store-wide revision of the last write.</summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken = default);

    Task<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every entry whose key starts with <paramref name="prefix"/>, in key order.</summary>
    Task<IReadOnlyList<StoreEntry>> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Writes a value; returns the new store revision.</summary>
    Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>Removes a key; false if it did not exist.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// If every comparison holds, applies <see cref="StoreTransaction.Success"/>, else
    /// <see cref="StoreTransaction.Failure"/>; atomically, as one revision.
    /// </summary>
    Task<StoreTransactionResult> TransactAsync(StoreTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes under <paramref name="prefix"/> after <paramref name="afterRevision"/> (0: from now),
    /// in revision order, until cancelled.
    /// </summary>
    IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision = 0, CancellationToken cancellationToken = default);
}
