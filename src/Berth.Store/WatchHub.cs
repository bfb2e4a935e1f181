using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Berth.Store;

/// <summary>
/// Fan-out of committed changes to watches, and the recent history they replay from.
/// Invariants: <see cref="Publish"/> is called by the single writer in revision order, after the
/// commit; <see cref="Subscribe"/> snapshots history and registers under the same lock, so a watch
/// sees every change after its revision exactly once. Publishing never waits: a watcher whose
/// buffer is full is ended with <see cref="StoreWatchLostException"/>.
/// </summary>
internal sealed class WatchHub
{
    /// <summary>Changes kept in memory for replay.</summary>
    public const int HistoryCapacity = 1000;

    /// <summary>Events a watcher may have unread before it is ended; room for a full replay plus live events.</summary>
    public const int WatcherCapacity = HistoryCapacity + 1024;

    private readonly Lock _gate = new();
    private readonly Queue<StoreEvent> _history = new();
    private readonly List<StoreWatcher> _watchers = [];
    private readonly ILogger _logger;
    private long _revision;
    private long _compactedRevision;
    private bool _completed;

    /// <param name="revision">The store revision now; changes up to it cannot be replayed.</param>
    public WatchHub(long revision, ILogger logger)
    {
        _revision = revision;
        _compactedRevision = revision;
        _logger = logger;
    }

    /// <summary>The revision of the last published write.</summary>
    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    public void Publish(long revision, IReadOnlyList<StoreEvent> events)
    {
        lock (_gate)
        {
            _revision = revision;
            foreach (var storeEvent in events)
            {
                _history.Enqueue(storeEvent);
            }

            // Everything at or below the evicted event's revision may be partly gone.
            while (_history.Count > HistoryCapacity)
            {
                _compactedRevision = _history.Dequeue().Revision;
            }

            List<StoreWatcher>? overflowed = null;
            foreach (var watcher in _watchers)
            {
                foreach (var storeEvent in events)
                {
                    if (watcher.Wants(storeEvent) && !watcher.Channel.Writer.TryWrite(storeEvent))
                    {
                        (overflowed ??= []).Add(watcher);
                        break;
                    }
                }
            }

            foreach (var watcher in overflowed ?? [])
            {
                _watchers.Remove(watcher);
                StoreLog.WatchOverflow(_logger, watcher.Prefix, WatcherCapacity);
                watcher.Channel.Writer.TryComplete(new StoreWatchLostException(
                    StoreWatchLostReason.Overflow,
                    $"watch on \"{watcher.Prefix}\" fell behind by more than {WatcherCapacity} changes and was ended; list the keys again and watch from the listed revision"));
            }
        }
    }

    /// <summary>
    /// Changes under <paramref name="prefix"/> after <paramref name="afterRevision"/>; 0 means after the
    /// revision current at this call (not at the first MoveNextAsync), so a caller may watch, then write.
    /// </summary>
    public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default)
    {
        StoreChangePlanner.ValidatePrefix(prefix);
        if (afterRevision < 0)
        {
            throw new Core.Errors.BerthException(Core.Errors.ErrorKind.InvalidArgument, $"watch on \"{prefix}\": revision {afterRevision} is negative; use 0 for \"from now\"");
        }

        return ReadAsync(prefix, afterRevision == 0 ? Revision : afterRevision, cancellationToken);
    }

    /// <summary>Ends every watch quietly (store disposal) and refuses new ones.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var watcher in _watchers)
            {
                watcher.Channel.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    internal StoreWatcher Subscribe(string prefix, long afterRevision)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            if (afterRevision < _compactedRevision)
            {
                StoreLog.WatchCompacted(_logger, prefix, afterRevision, _compactedRevision);
                throw new StoreWatchLostException(
                    StoreWatchLostReason.Compacted,
                    $"watch on \"{prefix}\" cannot resume after revision {afterRevision}: the store only keeps changes after revision {_compactedRevision}; list the keys again and watch from the listed revision");
            }

            var watcher = new StoreWatcher(prefix, afterRevision, WatcherCapacity);
            foreach (var storeEvent in _history)
            {
                // Cannot fail: the history is smaller than the watcher's capacity.
                if (watcher.Wants(storeEvent))
                {
                    watcher.Channel.Writer.TryWrite(storeEvent);
                }
            }

            _watchers.Add(watcher);
            return watcher;
        }
    }

    private void Unsubscribe(StoreWatcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
    }

    private async IAsyncEnumerable<StoreEvent> ReadAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var watcher = Subscribe(prefix, afterRevision);
        try
        {
            var reader = watcher.Channel.Reader;

            // WaitToReadAsync rethrows the exception the channel was completed with (overflow).
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var storeEvent))
                {
                    yield return storeEvent;
                }
            }
        }
        finally
        {
            Unsubscribe(watcher);
        }
    }
}
