using System.Buffers.Binary;
using System.Net.Sockets;

namespace Berth.Network.Dns;

/// <summary>DNS over TCP framing: each message preceded by its 16-bit length (RFC 1035 §4.2.2).</summary>
internal static class DnsTcp
{
    private const int LengthPrefix = 2;

    /// <summary>Reads one message; null on a clean end of stream before its first byte.</summary>
    public static async Task<byte[]?> ReadMessageAsync(Socket socket, CancellationToken cancellationToken)
    {
        var prefix = new byte[LengthPrefix];
        if (!await ReadExactlyAsync(socket, prefix, allowEnd: true, cancellationToken))
        {
            return null;
        }

        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await ReadExactlyAsync(socket, message, allowEnd: false, cancellationToken);
        return message;
    }

    public static async Task WriteMessageAsync(Socket socket, byte[] message, CancellationToken cancellationToken)
    {
        var framed = new byte[LengthPrefix + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, LengthPrefix);
        int sent = 0;
        while (sent < framed.Length)
        {
            sent += await socket.SendAsync(framed.AsMemory(sent), SocketFlags.None, cancellationToken);
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, bool allowEnd, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                if (read == 0 && allowEnd)
                {
                    return false;
                }

                throw new InvalidDataException("the DNS peer closed the connection in the middle of a message");
            }

            read += n;
        }

        return true;
    }
}
