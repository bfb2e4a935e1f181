using System.Text;
using Berth.Core.Errors;
using Berth.Network.Cluster;
using Berth.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// Follows the cluster's key ring of encrypted overlays (<see cref="Key"/> in the cluster store, reached over mutual
/// TLS) and hands every version to <see cref="SealedPath"/>. On managers it also makes the ring when the cluster has none
/// and rotates it when its newest key is older than the rotation interval, by compare-and-swap on the record's revision:
/// two managers that see it due at once add one key between them, never two. While no link is followed the ring is
/// withdrawn (null): encrypted networks then send and accept nothing.
/// </summary>
public sealed partial class OverlayKeyFollower : IAsyncDisposable
{
    /// <summary>The record of the ring in the cluster store.</summary>
    public const string Key = "cluster/overlay-keys";

    /// <summary>Docker rotates its encryption keys every 12 hours.</summary>
    public static readonly TimeSpan DefaultRotation = TimeSpan.FromHours(12);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly Action<OverlayKeyRing?> _publish;
    private readonly TimeSpan _rotation;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private CancellationTokenSource? _following;
    private Task _loops = Task.CompletedTask;

    /// <param name="publish">Told every ring seen (and null when following stops).</param>
    /// <param name="rotation">How old the newest key may get before a manager adds a new one.</param>
    public OverlayKeyFollower(Action<OverlayKeyRing?> publish, TimeSpan? rotation = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(publish);
        _publish = publish;
        _rotation = rotation ?? DefaultRotation;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_rotation, TimeSpan.Zero);
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>How long a new key waits before senders use it: every node has seen it by then and accepts it.</summary>
    public static TimeSpan Grace(TimeSpan rotation) => rotation < TimeSpan.FromMinutes(1) ? rotation / 4 : TimeSpan.FromSeconds(15);

    /// <summary>The last ring seen; null while none.</summary>
    public OverlayKeyRing? Current { get; private set; }

    /// <summary>Follows <paramref name="link"/>'s ring from now on (a manager makes it first if the cluster has none).</summary>
    public async Task ConnectAsync(ClusterLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        await DisconnectAsync().ConfigureAwait(false);
        var following = new CancellationTokenSource();
        long revision = await LoadAsync(link, cancellationToken).ConfigureAwait(false);
        _following = following;
        var loops = new List<Task> { WatchAsync(link.Store, revision, following.Token) };
        if (link.Manager)
        {
            loops.Add(RotateAsync(link.Store, following.Token));
        }

        _loops = Task.WhenAll(loops);
    }

    /// <summary>Stops following; the ring is withdrawn.</summary>
    public async Task DisconnectAsync()
    {
        if (_following is { } following)
        {
            _following = null;
            await following.CancelAsync().ConfigureAwait(false);
            await _loops.ConfigureAwait(false);
            following.Dispose();
        }

        Publish(null);
    }

    public async ValueTask DisposeAsync() => await DisconnectAsync().ConfigureAwait(false);

    /// <summary>Reads the ring (a manager makes one where there is none); returns the revision to watch from.</summary>
    private async Task<long> LoadAsync(ClusterLink link, CancellationToken cancellationToken)
    {
        while (true)
        {
            long revision = await link.Store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
            var entry = await link.Store.GetAsync(Key, cancellationToken).ConfigureAwait(false);
            if (entry is not null)
            {
                Publish(Read(entry));
                return revision;
            }

            if (!link.Manager)
            {
                // A worker waits for a manager to make it: the watch brings it.
                return revision;
            }

            var ring = OverlayKeyRing.New(_time.GetUtcNow());
            var made = await link.Store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(Key, 0)],
                Success = [StoreOperation.Put(Key, Encoding.UTF8.GetBytes(ring.ToJson()))],
            }, cancellationToken).ConfigureAwait(false);
            if (made.Succeeded)
            {
                Publish(ring);
                return made.Revision;
            }
        }
    }

    private async Task WatchAsync(IStateStore store, long revision, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in store.WatchAsync(Key, revision, stopping).ConfigureAwait(false))
                {
                    revision = change.Revision;
                    if (change.Key == Key && change.Entry is { } entry)
                    {
                        Publish(Read(entry));
                    }
                }

                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StoreWatchLostException or BerthException or InvalidOperationException or IOException)
            {
                SealedLog.Failed(_logger, "watching the key ring", e.Message);
                revision = await RelistAsync(store, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task<long> RelistAsync(IStateStore store, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RetryDelay, _time, stopping).ConfigureAwait(false);
                long revision = await store.GetRevisionAsync(stopping).ConfigureAwait(false);
                if (await store.GetAsync(Key, stopping).ConfigureAwait(false) is { } entry)
                {
                    Publish(Read(entry));
                }

                return revision;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
            {
                SealedLog.Failed(_logger, "reading the key ring", e.Message);
            }
        }

        return 0;
    }

    private void Publish(OverlayKeyRing? ring)
    {
        Current = ring;
        if (ring is not null && !ring.Keys.IsEmpty)
        {
            SealedLog.Ring(_logger, ring.Keys[^1].Generation, ring.Keys.Length);
        }

        _publish(ring);
    }

    private static OverlayKeyRing Read(StoreEntry entry) => OverlayKeyRing.FromJson(Encoding.UTF8.GetString(entry.Value.Span));
}
