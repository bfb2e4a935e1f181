using System.Collections.Concurrent;
using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Cluster.Swarm;

/// <summary>
/// A cluster in memory, for tests of the layers above (as <see cref="InMemoryStateStore"/> is for the store): every
/// connection opened from one backend shares one store. Leases are kept here (the in-memory store has none): a key
/// put with a lease is an ordinary key that <see cref="Expire"/> or a revoke deletes. Membership is a list; no etcd runs.
/// </summary>
public sealed class InMemoryClusterBackend : IClusterBackend, IEtcdCluster
{
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<string, bool>> _leases = new();
    private readonly List<EtcdMemberInfo> _members = [];
    private long _nextLease;
    private ulong _nextMember;

    public InMemoryStateStore Store { get; } = new();

    /// <summary>What <see cref="OpenAsync"/> was asked for, in order.</summary>
    public ConcurrentQueue<LocalSwarmState> Opened { get; } = new();

    /// <summary>When set, <see cref="OpenAsync"/> fails with it (an etcd that does not start).</summary>
    public BerthException? FailOpen { get; set; }

    /// <summary>When true, every write fails as a cluster without quorum does (reads still answer).</summary>
    public bool QuorumLost { get; set; }

    /// <summary>Set: the nodes of this backend act as if started with <c>--cluster-store</c> (no member is ever added).</summary>
    public ExternalClusterStore? ExternalStore { get; set; }

    /// <summary>What <see cref="IdentifyExternalStoreAsync"/> answers: the external etcd's cluster id.</summary>
    public string ExternalStoreId { get; set; } = "c1a55e5";

    public Task<string> IdentifyExternalStoreAsync(CancellationToken cancellationToken = default) =>
        ExternalStore is null ? throw new InvalidOperationException("no external store") : Task.FromResult(ExternalStoreId);

    public Task<IClusterConnection> OpenAsync(LocalSwarmState state, SwarmPaths paths, CancellationToken cancellationToken = default)
    {
        if (FailOpen is { } failure)
        {
            throw failure;
        }

        Opened.Enqueue(state);
        lock (_members)
        {
            if (ExternalStore is null && state.Role == Identity.ClusterRole.Manager && _members.All(m => m.Name != state.Node.Value))
            {
                _members.Add(new EtcdMemberInfo(++_nextMember, state.Node.Value, [EtcdClusterBackend.PeerUrl(state.AdvertiseAddress)],
                    [EtcdClusterBackend.ClientUrl(state.AdvertiseAddress)], IsLearner: false));
            }
        }

        return Task.FromResult<IClusterConnection>(new Connection(this));
    }

    /// <summary>As etcd's <c>--force-new-cluster</c>: the manager's member is the only one left, and writes work again.</summary>
    public Task ForceNewClusterAsync(LocalSwarmState state, SwarmPaths paths, CancellationToken cancellationToken = default)
    {
        if (ExternalStore is not null)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "--force-new-cluster: this swarm lives in the etcd you run");
        }

        lock (_members)
        {
            _members.RemoveAll(m => m.Name != state.Node.Value);
        }

        QuorumLost = false;
        return Task.CompletedTask;
    }

    /// <summary>A lease lapses (its holder died): its keys go.</summary>
    public async Task ExpireAsync(long leaseId)
    {
        if (_leases.TryRemove(leaseId, out var keys))
        {
            foreach (string key in keys.Keys)
            {
                await Store.DeleteAsync(key).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every lease lapses.</summary>
    public async Task ExpireAllAsync()
    {
        foreach (long lease in _leases.Keys)
        {
            await ExpireAsync(lease).ConfigureAwait(false);
        }
    }

    public Task<IReadOnlyList<EtcdMemberInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_members)
        {
            return Task.FromResult<IReadOnlyList<EtcdMemberInfo>>([.. _members]);
        }
    }

    public Task<EtcdMemberInfo> AddLearnerAsync(Uri peerUrl, CancellationToken cancellationToken = default)
    {
        lock (_members)
        {
            var member = new EtcdMemberInfo(++_nextMember, "", [peerUrl], [], IsLearner: true);
            _members.Add(member);
            return Task.FromResult(member);
        }
    }

    public Task PromoteAsync(ulong memberId, CancellationToken cancellationToken = default)
    {
        lock (_members)
        {
            int index = _members.FindIndex(m => m.Id == memberId);
            _members[index] = _members[index] with { IsLearner = false };
            return Task.CompletedTask;
        }
    }

    public Task RemoveAsync(ulong memberId, CancellationToken cancellationToken = default)
    {
        lock (_members)
        {
            _members.RemoveAll(m => m.Id == memberId);
            return Task.CompletedTask;
        }
    }

    /// <summary>What each node may do, as etcd's users would have it (<see cref="IEtcdCluster.AllowAsync"/>).</summary>
    public ConcurrentDictionary<string, Identity.ClusterRole> Users { get; } = new(StringComparer.Ordinal);

    public bool AuthEnabled { get; private set; }

    public Task EnableAuthAsync(Identity.NodeId manager, CancellationToken cancellationToken = default)
    {
        Users[manager.Value] = Identity.ClusterRole.Manager;
        AuthEnabled = true;
        return Task.CompletedTask;
    }

    public Task AllowAsync(Identity.NodeId node, Identity.ClusterRole role, CancellationToken cancellationToken = default)
    {
        Users[node.Value] = role;
        return Task.CompletedTask;
    }

    private void CheckQuorum()
    {
        if (QuorumLost)
        {
            throw new BerthException(ErrorKind.Unavailable, "in-memory cluster: no leader (quorum lost)");
        }
    }

    private sealed class Connection(InMemoryClusterBackend cluster) : IClusterConnection, IStateStore, ILeaseStore
    {
        public IStateStore Store => this;

        public ILeaseStore Leases => this;

        public IEtcdCluster Members => cluster;

        public Task<bool> MemberServesAsync(Uri clientUrl, CancellationToken cancellationToken = default) => Task.FromResult(true);

        public Task<bool> MemberHealthyAsync(Uri clientUrl, CancellationToken cancellationToken = default) => Task.FromResult(!cluster.QuorumLost);

        public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => cluster.Store.GetRevisionAsync(cancellationToken);

        public Task<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default) => cluster.Store.GetAsync(key, cancellationToken);

        public Task<IReadOnlyList<StoreEntry>> ListAsync(string prefix, CancellationToken cancellationToken = default) => cluster.Store.ListAsync(prefix, cancellationToken);

        public Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
        {
            cluster.CheckQuorum();
            return cluster.Store.PutAsync(key, value, cancellationToken);
        }

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
        {
            cluster.CheckQuorum();
            return cluster.Store.DeleteAsync(key, cancellationToken);
        }

        public async Task<StoreTransactionResult> TransactAsync(StoreTransaction transaction, CancellationToken cancellationToken = default)
        {
            cluster.CheckQuorum();
            var result = await cluster.Store.TransactAsync(transaction with
            {
                Success = [.. transaction.Success.Select(o => o with { LeaseId = 0 })],
                Failure = [.. transaction.Failure.Select(o => o with { LeaseId = 0 })],
            }, cancellationToken).ConfigureAwait(false);
            foreach (var operation in result.Succeeded ? transaction.Success : transaction.Failure)
            {
                Attach(operation.LeaseId, operation.Key);
            }

            return result;
        }

        public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision = 0, CancellationToken cancellationToken = default) =>
            cluster.Store.WatchAsync(prefix, afterRevision, cancellationToken);

        public Task<StoreLease> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
        {
            cluster.CheckQuorum();
            long id = Interlocked.Increment(ref cluster._nextLease);
            cluster._leases[id] = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            return Task.FromResult(new StoreLease(id, ttl));
        }

        public Task<TimeSpan> KeepAliveAsync(long leaseId, CancellationToken cancellationToken = default) =>
            cluster._leases.ContainsKey(leaseId)
                ? Task.FromResult(TimeSpan.FromSeconds(5))
                : throw new BerthException(ErrorKind.NotFound, $"lease {leaseId} has expired");

        public Task RevokeLeaseAsync(long leaseId, CancellationToken cancellationToken = default) => cluster.ExpireAsync(leaseId);

        public async Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, long leaseId, CancellationToken cancellationToken = default)
        {
            if (!cluster._leases.ContainsKey(leaseId))
            {
                throw new BerthException(ErrorKind.NotFound, $"lease {leaseId} has expired");
            }

            long revision = await PutAsync(key, value, cancellationToken).ConfigureAwait(false);
            Attach(leaseId, key);
            return revision;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private void Attach(long leaseId, string key)
        {
            if (leaseId != 0 && cluster._leases.TryGetValue(leaseId, out var keys))
            {
                keys[key] = true;
            }
        }
    }
}
