using System.Collections.Concurrent;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Network.Tests.Cluster;

/// <summary>etcd's lease semantics over an in-memory store, for tests: keys put on a lease are deleted when it is revoked or <see cref="Expire"/>s.</summary>
internal sealed class MemoryLeases(IStateStore store) : ILeaseStore
{
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<string, bool>> _leases = new();
    private long _next;

    public Task<StoreLease> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        long id = Interlocked.Increment(ref _next);
        _leases[id] = new(StringComparer.Ordinal);
        return Task.FromResult(new StoreLease(id, ttl));
    }

    public Task<TimeSpan> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default) =>
        _leases.ContainsKey(leaseId) ? Task.FromResult(TimeSpan.FromSeconds(5)) : throw new BerthException(ErrorKind.NotFound, $"lease {leaseId} not found");

    public async Task RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => await Expire(leaseId);

    public async Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, long leaseId, CancellationToken cancellationToken = default)
    {
        if (!_leases.TryGetValue(leaseId, out var keys))
        {
            throw new BerthException(ErrorKind.NotFound, $"lease {leaseId} not found");
        }

        keys[key] = true;
        return await store.PutAsync(key, value, cancellationToken);
    }

    /// <summary>The lease ends as if its owner died: its keys go.</summary>
    public async Task Expire(long leaseId)
    {
        if (_leases.TryRemove(leaseId, out var keys))
        {
            foreach (string key in keys.Keys)
            {
                await store.DeleteAsync(key);
            }
        }
    }

    public IReadOnlyCollection<long> Live => [.. _leases.Keys];
}
