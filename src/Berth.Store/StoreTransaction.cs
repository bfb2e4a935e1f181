using System.Collections.Immutable;

namespace Berth.Store;

/// <summary>Compare-and-swap: <c>if (all Compares) then Success else Failure</c>, applied as one revision.</summary>
public sealed record StoreTransaction
{
    public ImmutableArray<StoreCompare> Compares { get; init; } = [];

    public ImmutableArray<StoreOperation> Success { get; init; } = [];

    public ImmutableArray<StoreOperation> Failure { get; init; } = [];
}

/// <summary>A condition on one key. <see cref="ModRevision"/> 0 means "the key does not exist".</summary>
public sealed record StoreCompare(string Key, long ModRevision);

/// <summary>A write inside a transaction: a put (value set) or a delete (value null).</summary>
public sealed record StoreOperation(string Key, ReadOnlyMemory<byte>? Value)
{
    /// <summary>
    /// The lease the put is attached to (<see cref="ILeaseStore"/>): the key is deleted when the lease
    /// expires or is revoked. 0 = none. Only stores that implement <see cref="ILeaseStore"/> accept it.
    /// </summary>
    public long LeaseId { get; init; }

    public static StoreOperation Put(string key, ReadOnlyMemory<byte> value) => new(key, value);

    public static StoreOperation Put(string key, ReadOnlyMemory<byte> value, long leaseId) => new(key, value) { LeaseId = leaseId };

    public static StoreOperation Delete(string key) => new(key, null);
}

/// <summary>Whether the comparisons held, and the revision after the transaction.</summary>
public sealed record StoreTransactionResult(bool Succeeded, long Revision);
