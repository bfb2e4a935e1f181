using System.Net.Sockets;

namespace Berth.Cli.Client;

/// <summary>
/// A connection after <c>101 UPGRADED</c>: the container's output to read (framed unless Tty), stdin to write (never framed).
/// <see cref="CloseWriteAsync"/> half-closes, which the daemon passes on as the container's stdin EOF; output keeps coming.
/// </summary>
public sealed class HijackedConnection : IDisposable
{
    public const int SwitchingProtocols = 101;

    private readonly Socket socket;
    private readonly NetworkStream stream;
    private byte[] early;
    private int earlyOffset;

    public HijackedConnection(Socket socket, byte[] early)
    {
        this.socket = socket;
        this.early = early;
        stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>The next output bytes: first those that came in with the response head, then the socket's. 0 at the end.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (earlyOffset < early.Length)
        {
            var count = Math.Min(buffer.Length, early.Length - earlyOffset);
            early.AsMemory(earlyOffset, count).CopyTo(buffer);
            earlyOffset += count;
            if (earlyOffset == early.Length)
            {
                early = [];
                earlyOffset = 0;
            }

            return count;
        }

        try
        {
            return await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A reset at the end of the stream is its end.
            return 0;
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => stream.WriteAsync(buffer, cancellationToken);

    /// <summary>shutdown(SHUT_WR): no more input; the read side stays open for the rest of the output.</summary>
    public ValueTask CloseWriteAsync()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already gone: the output side will see the end too.
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile (the output ended first).
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A read-only stream view of the output, for the frame reader.</summary>
    public Stream Output => new OutputStream(this);

    public void Dispose() => stream.Dispose();

    private sealed class OutputStream(HijackedConnection connection) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => connection.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            connection.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
