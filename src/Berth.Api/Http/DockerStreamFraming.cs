using System.Buffers.Binary;
using System.Globalization;
using Berth.Runtime.Containers;

namespace Berth.Api.Http;

/// <summary>
/// Docker's multiplexed stream (attach and logs without a TTY): each frame is
/// <c>[stream:1][0,0,0][length: uint32 big-endian][payload]</c>, stream 1 = stdout, 2 = stderr,
/// 3 = a system error the client raises. With a TTY the bytes go as they are, unframed.
/// </summary>
internal static class DockerStreamFraming
{
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte SystemError = 3;

    public const int HeaderBytes = 8;

    /// <summary>The frame's stream byte for a container's output stream.</summary>
    public static byte Of(LogStream stream) => stream == LogStream.Stdout ? Stdout : Stderr;

    /// <summary>Docker's <c>RFC3339NanoFixed</c> timestamp (always nine fractional digits, UTC) and the space after it.</summary>
    public static string TimestampPrefix(long unixNanos)
    {
        long seconds = Math.DivRem(unixNanos, 1_000_000_000, out long nanos);
        DateTime time = DateTime.UnixEpoch.AddSeconds(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{time:yyyy'-'MM'-'dd'T'HH':'mm':'ss}.{nanos:D9}Z ");
    }

    public static byte[] Header(byte stream, int length)
    {
        byte[] header = new byte[HeaderBytes];
        header[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)length);
        return header;
    }

    /// <summary>Writes one frame, or with <paramref name="tty"/> just the payload.</summary>
    public static async Task WriteAsync(Stream output, byte stream, ReadOnlyMemory<byte> payload, bool tty, CancellationToken cancellationToken = default)
    {
        if (payload.IsEmpty)
        {
            return;
        }

        if (!tty)
        {
            await output.WriteAsync(Header(stream, payload.Length), cancellationToken);
        }

        await output.WriteAsync(payload, cancellationToken);
    }
}
