using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Store;

/// <summary>
/// <see cref="IStateStore"/> in memory, with the same semantics as <see cref="SqliteStateStore"/>
/// (both plan writes with <see cref="StoreChangePlanner"/> and publish through <see cref="WatchHub"/>).
/// For tests of the layers above the store. Reads see an immutable snapshot and never wait.
/// </summary>
public sealed class InMemoryStateStore : IStateStore
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly WatchHub _hub;
    private volatile InMemorySnapshot _snapshot = InMemorySnapshot.Empty;
    private volatile bool _disposed;

    public InMemoryStateStore(ILogger? logger = null)
    {
        _hub = new WatchHub(0, logger ?? NullLogger.Instance);
    }

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        return Task.FromResult(Current.Revision);
    }

    public Task<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreChangePlanner.ValidateKey(key);
        return Task.FromResult(Current.Entries.GetValueOrDefault(key));
    }

    public Task<IReadOnlyList<StoreEntry>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        StoreChangePlanner.ValidatePrefix(prefix);
        IReadOnlyList<StoreEntry> entries = Current.Entries
            .Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(pair => pair.Value)
            .ToList();
        return Task.FromResult(entries);
    }

    public async Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var changes = await WriteAsync(StoreChangePlanner.Single(StoreOperation.Put(key, value)), cancellationToken).ConfigureAwait(false);
        return changes.Revision;
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var changes = await WriteAsync(StoreChangePlanner.Single(StoreOperation.Delete(key)), cancellationToken).ConfigureAwait(false);
        return changes.Events.Length > 0;
    }

    public async Task<StoreTransactionResult> TransactAsync(StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        var changes = await WriteAsync(transaction, cancellationToken).ConfigureAwait(false);
        return new StoreTransactionResult(changes.Succeeded, changes.Revision);
    }

    public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision = 0, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _hub.WatchAsync(prefix, afterRevision, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _hub.Complete();
        return ValueTask.CompletedTask;
    }

    private InMemorySnapshot Current
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _snapshot;
        }
    }

    private async Task<StoreChangeSet> WriteAsync(StoreTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = Current;
            var changes = StoreChangePlanner.Plan(transaction, snapshot.Revision, key => snapshot.Entries.GetValueOrDefault(key));
            if (changes.Events.Length == 0)
            {
                return changes;
            }

            var entries = snapshot.Entries.ToBuilder();
            foreach (var change in changes.Events)
            {
                if (change.Entry is { } entry)
                {
                    entries[change.Key] = entry;
                }
                else
                {
                    entries.Remove(change.Key);
                }
            }

            _snapshot = new InMemorySnapshot(changes.Revision, entries.ToImmutable());
            _hub.Publish(changes.Revision, changes.Events);
            return changes;
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
