using Berth.Core.Errors;
using Etcdserverpb;

namespace Berth.Store;

/// <summary>Writes: puts, deletes and compare-and-swap transactions as etcd Txns comparing mod_revision.</summary>
public sealed partial class EtcdStateStore
{
    public Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        PutAsync(key, value, leaseId: 0, cancellationToken);

    public Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, long leaseId, CancellationToken cancellationToken = default)
    {
        StoreChangePlanner.Validate(StoreChangePlanner.Single(StoreOperation.Put(key, value, leaseId)));
        var request = new PutRequest { Key = _keys.Key(key), Value = Google.Protobuf.ByteString.CopyFrom(value.Span), Lease = leaseId };
        return _connection.WriteAsync($"write \"{key}\"", async attempt =>
        {
            var response = await Kv(attempt).PutAsync(request, attempt.Options).ConfigureAwait(false);
            Linux.Reliability.CrashPoints.Pass("etcd");
            return Seen(response.Header);
        }, Token(cancellationToken));
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreChangePlanner.ValidateKey(key);
        var request = new DeleteRangeRequest { Key = _keys.Key(key) };
        return _connection.WriteAsync($"delete \"{key}\"", async attempt =>
        {
            var response = await Kv(attempt).DeleteRangeAsync(request, attempt.Options).ConfigureAwait(false);
            Linux.Reliability.CrashPoints.Pass("etcd");
            Seen(response.Header);
            return response.Deleted > 0;
        }, Token(cancellationToken));
    }

    public Task<StoreTransactionResult> TransactAsync(StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);

        // Refused here with the same message as the local stores, before etcd refuses it with its own.
        StoreChangePlanner.Validate(transaction);
        var request = new TxnRequest();
        foreach (var compare in transaction.Compares)
        {
            // An absent key's mod_revision compares as 0 in etcd, so "absent" needs no special case.
            request.Compare.Add(new Compare
            {
                Key = _keys.Key(compare.Key),
                Target = Compare.Types.CompareTarget.Mod,
                Result = Compare.Types.CompareResult.Equal,
                ModRevision = compare.ModRevision,
            });
        }

        request.Success.AddRange(transaction.Success.Select(Operation));
        request.Failure.AddRange(transaction.Failure.Select(Operation));
        var what = $"apply a transaction on {Describe(transaction)}";
        return _connection.WriteAsync(what, async attempt =>
        {
            var response = await Kv(attempt).TxnAsync(request, attempt.Options).ConfigureAwait(false);
            Linux.Reliability.CrashPoints.Pass("etcd");
            return new StoreTransactionResult(response.Succeeded, Seen(response.Header));
        }, Token(cancellationToken));
    }

    private RequestOp Operation(StoreOperation operation) => operation.Value is { } value
        ? new RequestOp { RequestPut = new PutRequest { Key = _keys.Key(operation.Key), Value = Google.Protobuf.ByteString.CopyFrom(value.Span), Lease = operation.LeaseId } }
        : new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = _keys.Key(operation.Key) } };

    private static string Describe(StoreTransaction transaction)
    {
        var keys = transaction.Compares.Select(c => c.Key)
            .Concat(transaction.Success.Select(o => o.Key))
            .Concat(transaction.Failure.Select(o => o.Key))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return keys.Count switch
        {
            0 => "no keys",
            <= 3 => string.Join(", ", keys.Select(k => $"\"{k}\"")),
            _ => $"\"{keys[0]}\" and {keys.Count - 1} more keys",
        };
    }
}
