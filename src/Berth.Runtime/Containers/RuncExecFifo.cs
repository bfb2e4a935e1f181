namespace Berth.Runtime.Containers;

/// <summary>
/// How a created runc container is started. After <c>runc create</c> the container's init waits, with
/// everything set up, to open runc's exec fifo (<c>ROOT/ID/exec.fifo</c>) for writing; <c>runc start</c>
/// opens it for reading, reads the byte init writes, and removes the fifo — runc then reports the
/// container "running" (the fifo's absence is its marker) and init executes the user's process. Berth
/// does exactly that itself: a read and an unlink instead of starting a Go program (runc start costs
/// 6–8 ms of a ~60 ms <c>docker run</c> here). Where the fifo does not exist (another runtime or version),
/// <see cref="RuncClient.StartAsync"/> runs <c>runc start</c>.
/// </summary>
public static class RuncExecFifo
{
    public const string FileName = "exec.fifo";

    /// <summary>How often the wait checks that init still lives (runc start checks at the same pace).</summary>
    private static readonly TimeSpan AliveCheckInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Releases the waiting init; false when it is gone (it died, or the fifo gave no byte). Opening a fifo
    /// blocks until its other end opens, so the read runs on a thread of its own; when init dies first or
    /// <paramref name="timeout"/> passes, opening the write end ourselves unblocks that thread.
    /// </summary>
    public static async Task<bool> ReleaseAsync(string fifo, Func<bool> initAlive, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var read = Task.Factory.StartNew(() => ReadAll(fifo), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            DateTime deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                try
                {
                    int bytes = await read.WaitAsync(AliveCheckInterval, cancellationToken).ConfigureAwait(false);
                    if (bytes == 0)
                    {
                        return false;
                    }

                    File.Delete(fifo);
                    return true;
                }
                catch (TimeoutException) when (DateTime.UtcNow < deadline && initAlive())
                {
                }
            }
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // A blocked open for reading counts as a reader: this open returns at once and lets it finish with nothing.
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
            {
            }

            await read.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    private static int ReadAll(string fifo)
    {
        using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        Span<byte> buffer = stackalloc byte[16];
        int total = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            total += n;
        }

        return total;
    }
}
