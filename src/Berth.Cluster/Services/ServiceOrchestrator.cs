using System.Threading.Channels;
using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Services;

/// <summary>
/// Keeps every service's tasks as its spec asks (replicas, global placement, restarts, rolling updates, removal).
/// Runs on every manager and acts only while <c>swarm/leader</c> names this node. Each pass reads everything from the
/// store and derives what to do from it alone, never from memory, so a new leader picks up exactly where a deposed
/// one stopped; and every write is fenced by a compare on the leader key's mod revision as read when this node took
/// over, so a deposed leader's late writes fail instead of duplicating a slot. Passes follow a watch of
/// <c>swarm/</c> (bursts gathered for <see cref="ServiceOrchestratorOptions.Debounce"/>), fall due at the next timed
/// step (a restart delay, an update delay, a node's grace), and run at least every
/// <see cref="ServiceOrchestratorOptions.ResyncPeriod"/>.
/// </summary>
public sealed partial class ServiceOrchestrator : IAsyncDisposable
{
    /// <summary>etcd's default limit of operations in one transaction is 128; stay below it.</summary>
    private const int MaxOperationsPerTransaction = 100;

    private static readonly TimeSpan WatchRetryDelay = TimeSpan.FromSeconds(1);

    private readonly IStateStore _store;
    private readonly NodeId _self;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ServiceOrchestratorOptions _options;
    private readonly Channel<bool> _kicks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _passLock = new(1, 1);

    /// <summary>When each node's heartbeat was first seen missing: the grace before Down counts from there (memory, not store: the store does not say when a key went).</summary>
    private readonly Dictionary<NodeId, DateTimeOffset> _absentSince = [];

    /// <summary>When tasks' states began on this manager's clock, not on the clocks of the agents that stamped them.</summary>
    private readonly TaskStateClock _stateClock = new();

    private Task _loop = Task.CompletedTask;
    private long _fence;
    private DateTimeOffset? _nextDue;

    public ServiceOrchestrator(IStateStore store, NodeId self, TimeProvider time, ILogger logger, ServiceOrchestratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _self = self;
        _time = time;
        _logger = logger;
        _options = options ?? new ServiceOrchestratorOptions();
    }

    /// <summary>Whether the last pass found this node leading.</summary>
    public bool IsLeading => Interlocked.Read(ref _fence) != 0;

    /// <summary>Starts following the store; stops at <see cref="DisposeAsync"/>.</summary>
    public void Start()
    {
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>
    /// One pass: if this node leads, reconcile every service and return true. Passes never overlap. A write refused by
    /// its compare (leadership lost, or a record changed under the pass) ends the pass quietly; the next one re-reads.
    /// </summary>
    public async Task<bool> ReconcileOnceAsync(CancellationToken cancellationToken = default)
    {
        await _passLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var leader = await ServicesSnapshot.LeaderAsync(_store, cancellationToken).ConfigureAwait(false);
            if (leader is not { } held || held.Node != _self)
            {
                if (Interlocked.Exchange(ref _fence, 0) != 0)
                {
                    ServicesLog.Deposed(_logger, _self.Value);
                    _stateClock.Reset();
                }

                return false;
            }

            if (Interlocked.Exchange(ref _fence, held.Revision) != held.Revision)
            {
                // A new term: another leader may have written since this node's last pass, on its own clock.
                ServicesLog.Leading(_logger, _self.Value, held.Revision);
                _stateClock.Reset();
            }

            DateTimeOffset readAt = _time.GetUtcNow();
            var snapshot = await ServicesSnapshot.ReadAsync(_store, cancellationToken).ConfigureAwait(false);
            _nextDue = null;
            await PassAsync(snapshot, readAt, new StoreCompare(ClusterKeys.Leader, held.Revision), cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _passLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Quiet shutdown.
        }

        _stopping.Dispose();
        _passLock.Dispose();
    }

    /// <summary>Asks for a pass soon (after the debounce).</summary>
    public void Kick() => _kicks.Writer.TryWrite(true);

    private async Task RunAsync(CancellationToken stopping)
    {
        Task watch = WatchAsync(stopping);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ReconcileOnceAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A store in trouble (no quorum) or a bad record: the next pass tries again; the loop must not die.
                ServicesLog.PassFailed(_logger, e);
            }

            try
            {
                await WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await watch.ConfigureAwait(false);
    }

    private async Task WaitAsync(CancellationToken stopping)
    {
        TimeSpan wait = _options.ResyncPeriod;
        if (_nextDue is { } due)
        {
            TimeSpan untilDue = due - _time.GetUtcNow();
            wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < wait ? untilDue : wait;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Task kicked = _kicks.Reader.WaitToReadAsync(waiting.Token).AsTask();
        Task timeout = Task.Delay(wait, _time, waiting.Token);
        await Task.WhenAny(kicked, timeout).ConfigureAwait(false);
        await waiting.CancelAsync().ConfigureAwait(false);
        stopping.ThrowIfCancellationRequested();
        while (_kicks.Reader.TryRead(out _))
        {
        }

        await Task.Delay(_options.Debounce, _time, stopping).ConfigureAwait(false);
        while (_kicks.Reader.TryRead(out _))
        {
        }
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var _ in _store.WatchAsync("swarm/", 0, stopping).ConfigureAwait(false))
                {
                    Kick();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is BerthException or InvalidOperationException or ObjectDisposedException)
            {
                // A lost watch misses changes: a full pass after it restarts covers them.
                ServicesLog.WatchLost(_logger, e);
            }

            Kick();
            try
            {
                await Task.Delay(WatchRetryDelay, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Remembers the earliest time a timed step falls due, so the loop wakes for it.</summary>
    private void DueAt(DateTimeOffset at)
    {
        if (_nextDue is not { } due || at < due)
        {
            _nextDue = at;
        }
    }

    /// <summary>Commits one service's plan, fenced; false when a compare failed (the pass should stop: the next one re-reads).</summary>
    private async Task<bool> CommitAsync(string what, OrchestratorPlan plan, StoreCompare fence, CancellationToken cancellationToken)
    {
        if (plan.Count == 0)
        {
            return true;
        }

        foreach (StoreTransaction transaction in plan.Transactions(fence, MaxOperationsPerTransaction))
        {
            var result = await _store.TransactAsync(transaction, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                ServicesLog.Fenced(_logger, what);
                return false;
            }
        }

        ServicesLog.Committed(_logger, what, plan.Count);
        return true;
    }
}
