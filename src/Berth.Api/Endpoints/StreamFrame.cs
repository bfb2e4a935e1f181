using System.Buffers.Binary;
using Berth.Runtime.Containers;

namespace Berth.Api.Endpoints;

/// <summary>
/// Docker's stream framing (moby <c>stdcopy</c>): <c>[stream][0,0,0][length big-endian][payload]</c>, stream
/// 1 stdout, 2 stderr, 3 a system error; none at all when the process has a terminal.
/// </summary>
internal static class StreamFrame
{
    private const int HeaderBytes = 8;

    public static async ValueTask WriteAsync(Stream output, LogStream? stream, ReadOnlyMemory<byte> payload, bool tty, CancellationToken cancellationToken)
    {
        if (!tty)
        {
            byte[] header = new byte[HeaderBytes];
            header[0] = stream switch { LogStream.Stdout => 1, LogStream.Stderr => 2, _ => 3 };
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
            await output.WriteAsync(header, cancellationToken);
        }

        await output.WriteAsync(payload, cancellationToken);
    }
}
