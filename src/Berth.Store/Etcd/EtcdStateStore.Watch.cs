using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Berth.Core.Errors;
using Etcdserverpb;
using Grpc.Core;

namespace Berth.Store;

/// <summary>
/// Watches: one etcd watch stream per <see cref="WatchAsync"/>, pumped into a bounded buffer
/// (<see cref="WatchHub.WatcherCapacity"/> events). A reader that falls behind holds the pump back and gRPC's
/// flow control holds etcd back; etcd keeps such a watcher in its unsynced group and catches it up from its own
/// history, so writers never wait and nothing ends in <see cref="StoreWatchLostReason.Overflow"/>. A stream that breaks is opened again on the next endpoint
/// from the revision after the last one delivered, so a member going away loses nothing; only a revision
/// etcd has compacted (<see cref="StoreWatchLostReason.Compacted"/>) or no member answering for
/// <see cref="EtcdStoreOptions.RequestTimeout"/> (<see cref="StoreWatchLostReason.Disconnected"/>) ends it.
/// </summary>
public sealed partial class EtcdStateStore
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision = 0, CancellationToken cancellationToken = default)
    {
        StoreChangePlanner.ValidatePrefix(prefix);
        if (afterRevision < 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"watch on \"{prefix}\": revision {afterRevision} is negative; use 0 for \"from now\"");
        }

        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);

        // "From now" is decided at the call, not at the first MoveNextAsync: after every write of ours that returned.
        return ReadWatchAsync(prefix, afterRevision == 0 ? Volatile.Read(ref _knownRevision) : afterRevision, cancellationToken);
    }

    private async IAsyncEnumerable<StoreEvent> ReadWatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(WatchHub.WatcherCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        var pump = PumpAsync(prefix, afterRevision, buffer.Writer, stop.Token);
        try
        {
            // WaitToReadAsync rethrows what the pump completed the buffer with (lost watch); it ends quietly on dispose.
            while (await buffer.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (buffer.Reader.TryRead(out var storeEvent))
                {
                    yield return storeEvent;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
        }
    }

    /// <summary>Never throws: ends by completing <paramref name="writer"/>, with the reason the watch was lost if it was.</summary>
    private async Task PumpAsync(string prefix, long afterRevision, ChannelWriter<StoreEvent> writer, CancellationToken stop)
    {
        var (start, end) = _keys.Range(prefix);
        var next = afterRevision + 1;
        var retryDelay = FirstRetryDelay;
        DateTime? failingSince = null;
        Exception? lost = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var (invoker, index) = _connection.Current();
                try
                {
                    // Leader required: a member cut off from its cluster ends the stream, and the pump moves on.
                    using var call = new Watch.WatchClient(invoker).Watch(EtcdConnection.StreamHeaders, deadline: null, stop);
                    await call.RequestStream.WriteAsync(new WatchRequest
                    {
                        CreateRequest = new WatchCreateRequest { Key = start, RangeEnd = end, StartRevision = next },
                    }, stop).ConfigureAwait(false);

                    while (await call.ResponseStream.MoveNext(stop).ConfigureAwait(false))
                    {
                        var response = call.ResponseStream.Current;
                        failingSince = null;
                        retryDelay = FirstRetryDelay;
                        Seen(response.Header);
                        if (response.CompactRevision > 0)
                        {
                            StoreLog.WatchCompacted(_logger, prefix, next - 1, response.CompactRevision);
                            throw new StoreWatchLostException(
                                StoreWatchLostReason.Compacted,
                                $"watch on \"{prefix}\" cannot resume after revision {next - 1}: etcd at {_connection.Endpoints} has compacted its history up to revision {response.CompactRevision}; list the keys again and watch from the listed revision");
                        }

                        if (response.Canceled)
                        {
                            throw new StoreWatchLostException(
                                StoreWatchLostReason.Disconnected,
                                $"watch on \"{prefix}\" was cancelled by etcd at {_connection.Endpoints} ({response.CancelReason}); list the keys again and watch from the listed revision");
                        }

                        foreach (var change in response.Events)
                        {
                            // Waits while the reader is behind: etcd holds the rest (a slow watcher never slows its writers).
                            await writer.WriteAsync(Event(change), stop).ConfigureAwait(false);
                            next = change.Kv.ModRevision + 1;
                        }
                    }
                }
                catch (Exception e) when (!stop.IsCancellationRequested && e is RpcException or OperationCanceledException or IOException or HttpRequestException)
                {
                    // A member that dies mid-stream surfaces as any of these, depending on where the stream was.
                    var detail = e is RpcException rpc ? rpc.Status.Detail : e.Message;
                    _connection.Skip(index);
                    failingSince ??= DateTime.UtcNow;
                    if (DateTime.UtcNow - failingSince > _connection.Options.RequestTimeout)
                    {
                        throw new StoreWatchLostException(
                            StoreWatchLostReason.Disconnected,
                            $"watch on \"{prefix}\": no etcd member at {_connection.Endpoints} answered for {_connection.Options.RequestTimeout.TotalSeconds:0.#} s ({detail}); list the keys again once etcd is back and has quorum");
                    }

                    StoreLog.WatchReconnecting(_logger, prefix, next, detail);
                }

                await Task.Delay(retryDelay, stop).ConfigureAwait(false);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
        catch (StoreWatchLostException e)
        {
            lost = e;
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or RpcException or ObjectDisposedException)
        {
            // Ended by its reader or by the store's disposal: quietly.
        }
        finally
        {
            writer.TryComplete(lost);
        }
    }

    private StoreEvent Event(Mvccpb.Event change)
    {
        var key = _keys.FromEtcd(change.Kv.Key);
        return change.Type == Mvccpb.Event.Types.EventType.Put
            ? new StoreEvent(StoreEventKind.Put, key, Entry(change.Kv), change.Kv.ModRevision)
            : new StoreEvent(StoreEventKind.Delete, key, null, change.Kv.ModRevision);
    }
}
