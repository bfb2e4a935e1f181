using System.Buffers.Binary;

namespace Berth.Linux.Netlink;

/// <summary>Splits a received datagram into messages and decodes NLMSG_ERROR payloads.</summary>
internal static class NetlinkMessageParser
{
    /// <summary>Takes the next message off <paramref name="buffer"/>; false when none is left.</summary>
    internal static bool TryRead(ref ReadOnlySpan<byte> buffer, out NetlinkMessage message)
    {
        message = default;
        if (buffer.Length < NetlinkHeader.Size)
        {
            return false;
        }

        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        if (length < NetlinkHeader.Size || length > buffer.Length)
        {
            throw new InvalidDataException($"malformed netlink message: length {length} in a buffer of {buffer.Length} bytes");
        }

        message = new NetlinkMessage(
            (NetlinkMessageType)BinaryPrimitives.ReadUInt16LittleEndian(buffer[4..]),
            (NetlinkFlags)BinaryPrimitives.ReadUInt16LittleEndian(buffer[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[12..]),
            buffer[NetlinkHeader.Size..length]);
        buffer = buffer[Math.Min(NetlinkAlignment.Align(length), buffer.Length)..];
        return true;
    }

    /// <summary>
    /// Decodes struct nlmsgerr: the (negative) errno, and with NETLINK_EXT_ACK the kernel's text.
    /// Error 0 is an ACK.
    /// </summary>
    internal static (int Errno, string? Text) ReadError(in NetlinkMessage message)
    {
        var payload = message.Payload;
        if (payload.Length < 4)
        {
            throw new InvalidDataException("truncated netlink error message");
        }

        int error = -BinaryPrimitives.ReadInt32LittleEndian(payload);
        if ((message.Flags & NetlinkFlags.AckTlvs) == 0 || payload.Length < 4 + NetlinkHeader.Size)
        {
            return (error, null);
        }

        // After the errno comes the original request: its header only when capped, else all of it.
        int offset = 4 + NetlinkHeader.Size;
        if ((message.Flags & NetlinkFlags.Capped) == 0)
        {
            offset = 4 + (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]);
        }

        string? text = null;
        if (offset < payload.Length)
        {
            foreach (var attribute in new NetlinkAttributeReader(payload[NetlinkAlignment.Align(offset)..]))
            {
                if (attribute.Type == NetlinkProtocol.ErrorAttributeMessage)
                {
                    text = attribute.String;
                }
            }
        }

        return (error, text);
    }
}
