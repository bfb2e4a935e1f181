using Berth.Cli.Client;
using Berth.Cli.Terminal;

namespace Berth.Cli.Streams;

/// <summary>
/// One hijacked connection's life, as docker's hijackedIOStreamer: output demultiplexed (raw with a Tty) to stdout/stderr until
/// the daemon ends it; stdin, when attached, copied in and the write side half-closed at its EOF (at once when not attached),
/// and the output still read to its end. The stdin copy is left behind when the output ends first (a console read cannot be
/// cancelled; the process is about to exit).
/// </summary>
public static class AttachedSession
{
    private const int StdinBufferBytes = 4096;

    public static async Task RunAsync(HijackedConnection connection, CliConsole console, bool tty, bool attachStdin, CancellationToken cancellationToken = default)
    {
        await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        await console.Err.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (attachStdin)
        {
            _ = Task.Run(() => CopyStdinAsync(console.InBytes, connection, cancellationToken), cancellationToken);
        }
        else
        {
            await connection.CloseWriteAsync().ConfigureAwait(false);
        }

        var output = connection.Output;
        if (tty)
        {
            await FrameDemultiplexer.CopyRawAsync(output, console.OutBytes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await FrameDemultiplexer.CopyAsync(output, console.OutBytes, console.ErrBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CopyStdinAsync(Stream stdin, HijackedConnection connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[StdinBufferBytes];
        try
        {
            int read;
            while ((read = await stdin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await connection.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection went away (the output ended) or we are stopping: nothing left to feed.
        }
        finally
        {
            await connection.CloseWriteAsync().ConfigureAwait(false);
        }
    }
}
