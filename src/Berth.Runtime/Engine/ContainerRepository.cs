using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Engine;

/// <summary>
/// Container records in the state store, and the cache of them the engine reads. One JSON document per container
/// under <c>containers/&lt;id&gt;</c>, its name claimed under <c>container-names/&lt;name&gt;</c> (value: the id) in
/// the same transaction, so two daemons sharing a store can never give one name to two containers. Every write is
/// compare-and-swap on the record's mod revision (kept beside the cached record); a conflict re-reads the record,
/// applies the change again and retries. The cache takes this repository's own writes at once (a read right after a
/// write sees it) and everything else from a watch of the prefix, fenced by revision so it never goes back in time.
/// </summary>
public sealed partial class ContainerRepository : IAsyncDisposable
{
    public const string Prefix = "containers/";
    public const string NamesPrefix = "container-names/";

    /// <summary>How often a write is retried when other writers keep changing the record.</summary>
    public const int MaxAttempts = 64;

    private readonly IStateStore _store;
    private readonly Func<ContainerRecord, ContainerRecord> _normalize;
    private readonly ILogger _logger;
    private readonly Lock _cacheLock = new();
    private readonly RevisionFence _fence = new();
    private readonly CancellationTokenSource _stopping = new();
    private ImmutableDictionary<ContainerId, ContainerCacheEntry> _cache = ImmutableDictionary<ContainerId, ContainerCacheEntry>.Empty;
    private ImmutableDictionary<ContainerId, ContainerRecord> _records = ImmutableDictionary<ContainerId, ContainerRecord>.Empty;
    private Task? _watch;

    /// <param name="store">Where the records live.</param>
    /// <param name="normalize">Completes a record as read from the store (older formats), before it is cached; by default <see cref="ContainerRecord.WithExplicitEndpoints"/>.</param>
    /// <param name="logger">For a watch that had to list again.</param>
    public ContainerRepository(IStateStore store, Func<ContainerRecord, ContainerRecord>? normalize = null, ILogger? logger = null)
    {
        _store = store;
        _normalize = normalize ?? (r => r.WithExplicitEndpoints());
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The cached records by id (a snapshot: read without locks).</summary>
    public ImmutableDictionary<ContainerId, ContainerRecord> Records => _records;

    public static string Key(ContainerId id) => Prefix + id.Value;

    public static string NameKey(string name) => NamesPrefix + name;

    /// <summary>The record's mod revision the cache last saw, or null if it is not cached.</summary>
    public long? RevisionOf(ContainerId id) => _cache.TryGetValue(id, out var cached) ? cached.ModRevision : null;

    /// <summary>
    /// Lists the records into the cache, claims the names of records written before names were claimed, and watches
    /// the store from the listed revision. Returns the listed records.
    /// </summary>
    public async Task<IReadOnlyList<ContainerRecord>> LoadAsync(CancellationToken cancellationToken = default)
    {
        long revision = await _store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);

        // Watch before listing: with revision 0 ("from now", fixed when WatchAsync is called) a write between the
        // two is then in the listing or in the watch, never in neither.
        var changes = _watch is null ? _store.WatchAsync(Prefix, revision, _stopping.Token) : null;
        var entries = await _store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false);
        var records = new List<ContainerRecord>(entries.Count);
        foreach (var entry in entries)
        {
            var record = Decode(entry);
            Apply(record.Id, record, entry.ModRevision);
            records.Add(record);
        }

        await AdoptAsync(records, cancellationToken).ConfigureAwait(false);
        if (changes is not null)
        {
            _watch = WatchStoreAsync(changes, revision, _stopping.Token);
        }

        return records;
    }

    /// <summary>
    /// Writes a new record and claims its name, in one transaction that requires both keys absent. A name in use is
    /// Docker's 409 naming the container that holds it.
    /// </summary>
    public async Task<ContainerRecord> CreateAsync(ContainerRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = await _store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare(Key(record.Id), 0), new StoreCompare(NameKey(record.Name), 0)],
            Success = [StoreOperation.Put(Key(record.Id), Encode(record)), StoreOperation.Put(NameKey(record.Name), Encoding.UTF8.GetBytes(record.Id.Value))],
        }, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw await NameTakenAsync(record.Name, cancellationToken).ConfigureAwait(false)
                ?? new BerthException(ErrorKind.Conflict, $"container {record.Id} already exists; create it again for a new id");
        }

        Apply(record.Id, record, result.Revision);
        return record;
    }

    /// <summary>
    /// Read-modify-write of one record, compare-and-swap on its revision: first from the cache, then, after a
    /// conflict, from the store, <paramref name="change"/> applied again each time. NotFound if it is gone. The name is
    /// not changed here (<see cref="RenameAsync"/> moves its claim).
    /// </summary>
    public async Task<ContainerRecord> UpdateAsync(ContainerId id, Func<ContainerRecord, ContainerRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = _cache.GetValueOrDefault(id);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            current ??= await ReadAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new BerthException(ErrorKind.NotFound, $"No such container: {id}");
            var updated = change(current.Record);
            if (updated.Name != current.Record.Name || updated.Id != id)
            {
                throw new InvalidOperationException($"container {id}: an update must keep the id and name; rename moves the name claim");
            }

            var result = await _store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(Key(id), current.ModRevision)],
                Success = [StoreOperation.Put(Key(id), Encode(updated))],
            }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                Apply(id, updated, result.Revision);
                return updated;
            }

            current = null;
        }

        throw Contended(id);
    }

    /// <summary>
    /// Gives the record a new name: its old claim deleted, the new one created (compared absent) and the record
    /// written, in one transaction retried on conflict. A name in use is Docker's 409.
    /// </summary>
    public async Task<ContainerRecord> RenameAsync(ContainerId id, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var current = _cache.GetValueOrDefault(id);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            current ??= await ReadAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new BerthException(ErrorKind.NotFound, $"No such container: {id}");
            var updated = current.Record with { Name = name };
            var compares = ImmutableArray.CreateBuilder<StoreCompare>();
            var writes = ImmutableArray.CreateBuilder<StoreOperation>();
            compares.Add(new StoreCompare(Key(id), current.ModRevision));
            compares.Add(new StoreCompare(NameKey(name), 0));
            writes.Add(StoreOperation.Put(Key(id), Encode(updated)));
            writes.Add(StoreOperation.Put(NameKey(name), Encoding.UTF8.GetBytes(id.Value)));
            if (await OwnClaimAsync(id, current.Record.Name, cancellationToken).ConfigureAwait(false) is { } old)
            {
                compares.Add(new StoreCompare(old.Key, old.ModRevision));
                writes.Add(StoreOperation.Delete(old.Key));
            }

            var result = await _store.TransactAsync(new StoreTransaction { Compares = compares.ToImmutable(), Success = writes.ToImmutable() }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                Apply(id, updated, result.Revision);
                return updated;
            }

            if (await NameTakenAsync(name, cancellationToken).ConfigureAwait(false) is { } taken)
            {
                throw taken;
            }

            current = null;
        }

        throw Contended(id);
    }

    /// <summary>
    /// Removes the record and its name claim (if it holds it) in one transaction retried on conflict. Returns false
    /// if it was already gone.
    /// </summary>
    public async Task<bool> RemoveAsync(ContainerId id, CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await ReadAsync(id, cancellationToken).ConfigureAwait(false) is not { } current)
            {
                long now = await _store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
                Apply(id, null, now);
                return false;
            }

            var compares = ImmutableArray.CreateBuilder<StoreCompare>();
            var writes = ImmutableArray.CreateBuilder<StoreOperation>();
            compares.Add(new StoreCompare(Key(id), current.ModRevision));
            writes.Add(StoreOperation.Delete(Key(id)));
            if (await OwnClaimAsync(id, current.Record.Name, cancellationToken).ConfigureAwait(false) is { } claim)
            {
                compares.Add(new StoreCompare(claim.Key, claim.ModRevision));
                writes.Add(StoreOperation.Delete(claim.Key));
            }

            var result = await _store.TransactAsync(new StoreTransaction { Compares = compares.ToImmutable(), Success = writes.ToImmutable() }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                Apply(id, null, result.Revision);
                return true;
            }
        }

        throw Contended(id);
    }

    /// <summary>
    /// Records written before names were claimed: claims each one's name (create-if-absent). A name some other
    /// container already claims is left to it.
    /// </summary>
    public async Task AdoptAsync(IReadOnlyCollection<ContainerRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var claimed = (await _store.ListAsync(NamesPrefix, cancellationToken).ConfigureAwait(false))
            .Select(e => e.Key[NamesPrefix.Length..]).ToHashSet(StringComparer.Ordinal);
        foreach (var record in records.Where(r => !claimed.Contains(r.Name)))
        {
            var result = await _store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(NameKey(record.Name), 0)],
                Success = [StoreOperation.Put(NameKey(record.Name), Encoding.UTF8.GetBytes(record.Id.Value))],
            }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                NameAdopted(_logger, record.Name, record.Id);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_watch is { } watch)
        {
            try
            {
                await watch.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped: the watch ends by cancellation.
            }
        }

        _stopping.Dispose();
    }

    private ContainerRecord Decode(StoreEntry entry) =>
        _normalize(JsonSerializer.Deserialize(entry.Value.Span, EngineJsonContext.Default.ContainerRecord)
            ?? throw new JsonException($"state entry {entry.Key} is empty"));

    private static byte[] Encode(ContainerRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, EngineJsonContext.Default.ContainerRecord);

    private async Task<ContainerCacheEntry?> ReadAsync(ContainerId id, CancellationToken cancellationToken) =>
        await _store.GetAsync(Key(id), cancellationToken).ConfigureAwait(false) is { } entry ? new ContainerCacheEntry(Decode(entry), entry.ModRevision) : null;

    /// <summary>The name's claim if <paramref name="id"/> holds it (an old record's name may be unclaimed, or claimed by another).</summary>
    private async Task<StoreEntry?> OwnClaimAsync(ContainerId id, string name, CancellationToken cancellationToken) =>
        await _store.GetAsync(NameKey(name), cancellationToken).ConfigureAwait(false) is { } claim && Encoding.UTF8.GetString(claim.Value.Span) == id.Value ? claim : null;

    private async Task<BerthException?> NameTakenAsync(string name, CancellationToken cancellationToken) =>
        await _store.GetAsync(NameKey(name), cancellationToken).ConfigureAwait(false) is { } claim
            ? NameInUse(name, Encoding.UTF8.GetString(claim.Value.Span))
            : null;

    /// <summary>Docker's words for a name in use.</summary>
    public static BerthException NameInUse(string name, string ownerId) =>
        new(ErrorKind.Conflict,
            $"Conflict. The container name \"/{name}\" is already in use by container \"{ownerId}\". You have to remove (or rename) that container to be able to reuse that name.");

    /// <summary>Puts a record (or its absence) into the cache if <paramref name="revision"/> is newer than what the cache has for it.</summary>
    private void Apply(ContainerId id, ContainerRecord? record, long revision)
    {
        lock (_cacheLock)
        {
            if (!_fence.TryAdvance(Key(id), revision))
            {
                return;
            }

            if (record is null)
            {
                _cache = _cache.Remove(id);
                _records = _records.Remove(id);
            }
            else
            {
                _cache = _cache.SetItem(id, new ContainerCacheEntry(record, revision));
                _records = _records.SetItem(id, record);
            }
        }
    }

    /// <summary>Keeps the cache in step with the store: this process's writes come back (and are skipped), other processes' show up.</summary>
    private async Task WatchStoreAsync(IAsyncEnumerable<StoreEvent> changes, long revision, CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in changes.ConfigureAwait(false))
                {
                    var id = ContainerId.Parse(change.Key[Prefix.Length..]);
                    Apply(id, change.Entry is { } entry ? Decode(entry) : null, change.Revision);
                    if (change.Kind == StoreEventKind.Delete)
                    {
                        lock (_cacheLock)
                        {
                            _fence.Settle(change.Key, change.Revision);
                        }
                    }

                    revision = change.Revision;
                }

                return;
            }
            catch (StoreWatchLostException e)
            {
                // Fell behind or compacted: list again, and watch from the listed revision.
                WatchLost(_logger, e.Message);
                revision = await _store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
                var listed = await _store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false);
                var ids = new HashSet<ContainerId>();
                foreach (var entry in listed)
                {
                    var record = Decode(entry);
                    ids.Add(record.Id);
                    Apply(record.Id, record, entry.ModRevision);
                }

                foreach (var gone in _records.Keys.Where(id => !ids.Contains(id)).ToList())
                {
                    Apply(gone, null, revision);
                }

                changes = _store.WatchAsync(Prefix, revision, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    private static BerthException Contended(ContainerId id) =>
        new(ErrorKind.Unavailable, $"container {id}: the record kept changing under {MaxAttempts} attempts to write it; retry");

    [LoggerMessage(EventId = 5350, Level = LogLevel.Information, Message = "container name {Name} claimed for {Id} (a record written before names were claimed)")]
    private static partial void NameAdopted(ILogger logger, string name, ContainerId id);

    [LoggerMessage(EventId = 5351, Level = LogLevel.Warning, Message = "the watch of container records was lost, listing them again: {Message}")]
    private static partial void WatchLost(ILogger logger, string message);
}
