using Berth.Core.Errors;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Store;

/// <summary>
/// <see cref="IStateStore"/> on etcd v3, for state of cluster scope: every berthd sharing the etcd sees every
/// write through its watches. Revisions are etcd's own (store-wide, shared with whatever else writes to that
/// etcd, so they are increasing but not dense for one prefix). Every call has a deadline
/// (<see cref="EtcdStoreOptions.RequestTimeout"/>); an etcd that cannot answer is <see cref="ErrorKind.Unavailable"/>.
/// Talks gRPC through dotnet-etcd's generated clients (src/Berth.Store/README.md says why).
/// </summary>
public sealed partial class EtcdStateStore : IStateStore, ILeaseStore
{
    // One Range page; etcd's default response limit is far above 1,000 small values.
    private const int ListPageSize = 1000;

    private readonly EtcdConnection _connection;
    private readonly EtcdKeys _keys;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();

    // The highest revision any response carried: "from now" for a watch (after every write of ours that returned).
    private long _knownRevision;

    private EtcdStateStore(EtcdStoreOptions options, ILogger logger)
    {
        _keys = new EtcdKeys(options.Prefix);
        _connection = new EtcdConnection(options);
        _logger = logger;
    }

    /// <summary>Connects and reads the current revision, so an unreachable etcd fails here, with <see cref="ErrorKind.Unavailable"/>.</summary>
    public static async Task<EtcdStateStore> ConnectAsync(EtcdStoreOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var store = new EtcdStateStore(options, logger ?? NullLogger.Instance);
        try
        {
            var revision = await store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
            StoreLog.EtcdConnected(store._logger, store._connection.Endpoints, options.Prefix, revision);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public string Prefix => _keys.Prefix;

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        var (start, end) = _keys.Range("");
        return _connection.ReadAsync("read the revision", async attempt =>
        {
            var response = await Kv(attempt).RangeAsync(new RangeRequest { Key = start, RangeEnd = end, CountOnly = true, Serializable = attempt.Serializable }, attempt.Options).ConfigureAwait(false);
            return Seen(response.Header);
        }, Token(cancellationToken));
    }

    public Task<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreChangePlanner.ValidateKey(key);
        return _connection.ReadAsync($"read \"{key}\"", async attempt =>
        {
            var response = await Kv(attempt).RangeAsync(new RangeRequest { Key = _keys.Key(key), Serializable = attempt.Serializable }, attempt.Options).ConfigureAwait(false);
            Seen(response.Header);
            return response.Kvs.Count == 0 ? null : Entry(response.Kvs[0]);
        }, Token(cancellationToken));
    }

    public async Task<IReadOnlyList<StoreEntry>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        StoreChangePlanner.ValidatePrefix(prefix);
        var (start, end) = _keys.Range(prefix);
        var entries = new List<StoreEntry>();
        long revision = 0;
        while (true)
        {
            // Later pages read at the first page's revision, so the list is one consistent snapshot.
            var page = await _connection.ReadAsync($"list \"{prefix}\"", attempt => Kv(attempt).RangeAsync(new RangeRequest
            {
                Key = start,
                RangeEnd = end,
                Limit = ListPageSize,
                Revision = revision,
                SortOrder = RangeRequest.Types.SortOrder.Ascend,
                SortTarget = RangeRequest.Types.SortTarget.Key,
                Serializable = attempt.Serializable,
            }, attempt.Options).ResponseAsync, Token(cancellationToken)).ConfigureAwait(false);

            revision = revision == 0 ? Seen(page.Header) : revision;
            entries.AddRange(page.Kvs.Select(Entry));
            if (!page.More || page.Kvs.Count == 0)
            {
                return entries;
            }

            start = ByteString.CopyFrom([.. page.Kvs[^1].Key.Span, 0]);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed.IsCancellationRequested)
        {
            _disposed.Cancel();
            _connection.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Drops etcd's history up to <paramref name="revision"/>: a watch from before it is then lost (Compacted). For tests; a managed etcd compacts itself.</summary>
    internal Task CompactAsync(long revision, CancellationToken cancellationToken = default) =>
        _connection.WriteAsync($"compact to revision {revision}", async attempt =>
        {
            await Kv(attempt).CompactAsync(new CompactionRequest { Revision = revision, Physical = true }, attempt.Options).ConfigureAwait(false);
            return true;
        }, Token(cancellationToken));

    private static KV.KVClient Kv(EtcdAttempt attempt) => new(attempt.Invoker);

    private StoreEntry Entry(Mvccpb.KeyValue kv) =>
        new(_keys.FromEtcd(kv.Key), kv.Value.ToByteArray(), kv.CreateRevision, kv.ModRevision, kv.Version);

    private long Seen(ResponseHeader header)
    {
        var revision = header.Revision;
        var known = Volatile.Read(ref _knownRevision);
        while (revision > known)
        {
            var previous = Interlocked.CompareExchange(ref _knownRevision, revision, known);
            if (previous == known)
            {
                break;
            }

            known = previous;
        }

        return revision;
    }

    private CancellationToken Token(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        return cancellationToken;
    }
}
