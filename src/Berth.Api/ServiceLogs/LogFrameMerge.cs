using System.Threading.Channels;

namespace Berth.Api.ServiceLogs;

/// <summary>
/// Several tasks' logs as one stream: each source is pumped on its own into one queue and a single writer takes
/// whole frames from it, so frames of different tasks interleave but never inside one. Done when every source is
/// done; the first source that fails ends the merge with its error (callers wrap a source whose failure is not fatal).
/// </summary>
internal static class LogFrameMerge
{
    /// <summary>Frames waiting for the writer; a slow client holds the sources back instead of growing memory.</summary>
    private const int QueuedFrames = 256;

    public static async Task MergeAsync(IReadOnlyList<IAsyncEnumerable<LogFrame>> sources, Func<LogFrame, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queue = Channel.CreateBounded<LogFrame>(new BoundedChannelOptions(QueuedFrames) { SingleReader = true });
        var pumps = sources.Select(source => PumpAsync(source, queue.Writer, stop.Token)).ToList();
        var closing = Task.WhenAll(pumps).ContinueWith(_ => queue.Writer.TryComplete(), TaskScheduler.Default);
        try
        {
            await foreach (LogFrame frame in queue.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await write(frame, stop.Token).ConfigureAwait(false);
            }

            await queue.Reader.Completion.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await closing.ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync(IAsyncEnumerable<LogFrame> source, ChannelWriter<LogFrame> queue, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await foreach (LogFrame frame in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await queue.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Handed to the reader at once: with follow the other sources may never end.
            queue.TryComplete(e);
        }
    }
}
