namespace Berth.Store;

/// <summary>
/// Leases, for what must vanish when its owner does: a node's liveness key, a leader's claim. A key put
/// with a lease (<see cref="StoreOperation.LeaseId"/>) is deleted, as an ordinary watched delete, when the
/// lease expires or is revoked. Only the cluster store (<see cref="EtcdStateStore"/>) has them: a
/// single-process store has nobody to outlive. Semantics are etcd's lease API.
/// </summary>
public interface ILeaseStore
{
    /// <summary>A new lease that expires <paramref name="ttl"/> after its last keep-alive (the store may round it up to its minimum).</summary>
    Task<StoreLease> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Restarts the lease's time to live; returns it. <c>NotFound</c> if the lease has already expired or was revoked.</summary>
    Task<TimeSpan> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default);

    /// <summary>Ends the lease now and deletes its keys. Revoking a lease that has already gone is not an error.</summary>
    Task RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default);

    /// <summary>Writes a value attached to a lease; returns the new store revision. <c>NotFound</c> if the lease has gone.</summary>
    Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, long leaseId, CancellationToken cancellationToken = default);
}
