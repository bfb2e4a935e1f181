using System.Buffers.Binary;

namespace Berth.Cli.Streams;

/// <summary>
/// Docker's stdcopy: a non-Tty container's output arrives as frames <c>[stream:1][0,0,0][length: uint32 big-endian][payload]</c>,
/// stream 0/1 to stdout, 2 to stderr, 3 a daemon error ending the stream. With a Tty it is raw and <see cref="CopyRawAsync"/> applies.
/// </summary>
public static class FrameDemultiplexer
{
    public const int HeaderLength = 8;
    private const byte StdinStream = 0;
    private const byte StdoutStream = 1;
    private const byte StderrStream = 2;
    private const byte SystemErrorStream = 3;
    private const int CopyBufferBytes = 32 * 1024;

    /// <summary>Copies until the source ends (a partial header at the end is dropped, as stdcopy does).</summary>
    /// <exception cref="StreamErrorException">A system-error frame, or a header docker would not recognise.</exception>
    public static async Task CopyAsync(Stream source, Stream stdout, Stream stderr, CancellationToken cancellationToken = default)
    {
        var header = new byte[HeaderLength];
        var payload = new byte[CopyBufferBytes];
        while (await ReadFullAsync(source, header, cancellationToken).ConfigureAwait(false) == HeaderLength)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            var target = header[0] switch
            {
                StdinStream or StdoutStream => stdout,
                StderrStream => stderr,
                SystemErrorStream => null,
                var other => throw new StreamErrorException($"Unrecognized input header: {other}"),
            };
            if (payload.Length < length)
            {
                payload = new byte[length];
            }

            var read = await ReadFullAsync(source, payload.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            if (target is null)
            {
                throw new StreamErrorException("error from daemon in stream: " + System.Text.Encoding.UTF8.GetString(payload, 0, read));
            }

            await target.WriteAsync(payload.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (read < length)
            {
                return;
            }
        }
    }

    /// <summary>A Tty's output: bytes as they come.</summary>
    public static async Task CopyRawAsync(Stream source, Stream stdout, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[CopyBufferBytes];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await stdout.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns how much was read.</summary>
    internal static async Task<int> ReadFullAsync(Stream source, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await source.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
