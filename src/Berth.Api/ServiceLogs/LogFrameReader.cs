using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Berth.Api.Http;
using Berth.Core.Errors;

namespace Berth.Api.ServiceLogs;

/// <summary>Reads Docker's multiplexed frames back (what a node's <c>/tasks/{id}/logs</c> sends the manager).</summary>
internal static class LogFrameReader
{
    /// <summary>A frame larger than this is refused as a broken stream (conmon splits lines far below it).</summary>
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    public static async IAsyncEnumerable<LogFrame> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        byte[] header = new byte[DockerStreamFraming.HeaderBytes];
        while (true)
        {
            int read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                yield break;
            }

            if (read < header.Length)
            {
                throw new BerthException(ErrorKind.Unavailable, "the log stream ended inside a frame header");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            if (length > MaxPayloadBytes || header[0] is not (DockerStreamFraming.Stdout or DockerStreamFraming.Stderr or DockerStreamFraming.SystemError))
            {
                throw new BerthException(ErrorKind.Unavailable, $"the log stream is not Docker's framing (stream {header[0]}, {length} bytes)");
            }

            byte[] payload = new byte[length];
            await stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
            yield return new LogFrame(header[0], payload);
        }
    }
}
