using System.Collections.Concurrent;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Core.Errors;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Swarm;

/// <summary>
/// A node's life in the cluster store: a lease (TTL <see cref="LeaseTtl"/>) kept alive every
/// <see cref="KeepAlivePeriod"/>, <c>swarm/heartbeats/&lt;id&gt;</c> bound to it (gone within the TTL of the node's
/// death: <c>node ls</c> says Down), and on a manager the campaign for <c>swarm/leader</c> (created only if absent,
/// bound to the same lease, so a dead leader's claim lapses and another manager takes it) and the reachability of
/// every manager's etcd member.
/// </summary>
internal sealed class SwarmLiveness : IAsyncDisposable
{
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromSeconds(1.5);

    private readonly IClusterConnection _connection;
    private readonly NodeId _node;
    private readonly bool _manager;
    private readonly ClusterRole _role;
    private readonly Action<ClusterRole> _roleChanged;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, bool> _reachable = new(StringComparer.Ordinal);
    private readonly Func<NodeTlsReport?> _tls;
    private readonly Func<CancellationToken, Task>? _lookAround;
    private readonly Task _loop;
    private long _lease;
    private NodeTlsReport? _reported;

    /// <param name="roleChanged">Told (from the loop, without waiting) when the node's record names another role than it has: <c>node promote/demote</c>.</param>
    /// <param name="tls">The node's TLS as it reports it in its heartbeat; a new object is written at the next beat.</param>
    /// <param name="lookAround">Run at each look before the heartbeat (a root rotation under way); it handles its own failures.</param>
    public SwarmLiveness(IClusterConnection connection, NodeId node, ClusterRole role, ILogger logger, Action<ClusterRole> roleChanged,
        Func<NodeTlsReport?>? tls = null, Func<CancellationToken, Task>? lookAround = null)
    {
        _tls = tls ?? (() => null);
        _lookAround = lookAround;
        _connection = connection;
        _node = node;
        _role = role;
        _manager = role == ClusterRole.Manager;
        _roleChanged = roleChanged;
        _logger = logger;
        _loop = RunAsync(_stopping.Token);
    }

    /// <summary>Whether a manager's etcd member answered at the last look (null: not looked at yet).</summary>
    public bool? Reachable(NodeId node) => node == _node ? true : _reachable.TryGetValue(node.Value, out bool reachable) ? reachable : null;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        long lease = Interlocked.Read(ref _lease);
        if (lease != 0)
        {
            try
            {
                // The heartbeat (and a leader's claim) go at once, not a TTL later.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _connection.Leases.RevokeLeaseAsync(lease, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BerthException or OperationCanceledException)
            {
                SwarmLog.HeartbeatFailed(_logger, _node.Value, e);
            }
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // First, and whatever the heartbeat does: a root rotation may be what keeps it from the store.
                if (_lookAround is not null)
                {
                    await _lookAround(stopping).ConfigureAwait(false);
                }

                await BeatAsync(stopping).ConfigureAwait(false);
                await LookAtOwnRecordAsync(stopping).ConfigureAwait(false);
                if (_manager)
                {
                    await CampaignAsync(stopping).ConfigureAwait(false);
                    await LookAtManagersAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever a call to a cluster in trouble throws (a gRPC stream cut, a timeout), the loop goes on:
                // a node whose loop died would show Down for good.
                SwarmLog.HeartbeatFailed(_logger, _node.Value, e);
            }

            try
            {
                await Task.Delay(KeepAlivePeriod, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        long lease = Interlocked.Read(ref _lease);
        if (lease != 0)
        {
            try
            {
                await _connection.Leases.KeepAliveAsync(lease, cancellationToken).ConfigureAwait(false);
                if (!ReferenceEquals(_tls(), _reported))
                {
                    await PutHeartbeatAsync(lease, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Expired while the store was unreachable: a new lease, the heartbeat written again.
                Interlocked.Exchange(ref _lease, 0);
            }
        }

        StoreLease granted = await _connection.Leases.GrantLeaseAsync(LeaseTtl, cancellationToken).ConfigureAwait(false);
        await PutHeartbeatAsync(granted.Id, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lease, granted.Id);
    }

    private async Task PutHeartbeatAsync(long lease, CancellationToken cancellationToken)
    {
        NodeTlsReport? tls = _tls();
        var heartbeat = new HeartbeatRecord { At = DateTimeOffset.UtcNow, Tls = tls };
        await _connection.Leases.PutAsync(ClusterKeys.Heartbeat(_node), SwarmRecords.Bytes(heartbeat), lease, cancellationToken).ConfigureAwait(false);
        _reported = tls;
    }

    private async Task LookAtOwnRecordAsync(CancellationToken cancellationToken)
    {
        if (await _connection.Store.GetAsync(ClusterKeys.Node(_node), cancellationToken).ConfigureAwait(false) is { } entry
            && SwarmRecords.Node(entry.Value).Role is var wanted && wanted != _role)
        {
            _roleChanged(wanted);
        }
    }

    private async Task CampaignAsync(CancellationToken cancellationToken)
    {
        if (await _connection.Store.GetAsync(ClusterKeys.Leader, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        var won = await _connection.Store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare(ClusterKeys.Leader, 0)],
            Success = [StoreOperation.Put(ClusterKeys.Leader, Encoding.UTF8.GetBytes(_node.Value), Interlocked.Read(ref _lease))],
        }, cancellationToken).ConfigureAwait(false);
        if (won.Succeeded)
        {
            SwarmLog.Elected(_logger, _node.Value);
        }
    }

    private async Task LookAtManagersAsync(CancellationToken cancellationToken)
    {
        var managers = (await _connection.Store.ListAsync(ClusterKeys.Nodes, cancellationToken).ConfigureAwait(false))
            .Select(entry => SwarmRecords.Node(entry.Value))
            .Where(node => node.Role == ClusterRole.Manager && node.EtcdClientUrl is not null && node.Id != _node)
            .ToList();
        await Task.WhenAll(managers.Select(async node =>
            _reachable[node.Id.Value] = await _connection.MemberServesAsync(node.EtcdClientUrl!, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
    }
}
