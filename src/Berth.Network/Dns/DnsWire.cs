using System.Buffers.Binary;
using System.Text;

namespace Berth.Network.Dns;

/// <summary>Constants and name coding of the DNS wire format (RFC 1035 §3.1, §4.1).</summary>
internal static class DnsWire
{
    public const int HeaderLength = 12;

    /// <summary>Largest UDP answer to a client that did not say otherwise (RFC 1035 §2.3.4).</summary>
    public const int ClassicUdpLimit = 512;

    /// <summary>The UDP payload size Berth advertises and honours at most in EDNS0 (RFC 6891 §6.2.5).</summary>
    public const int MaxUdpPayload = 4096;

    /// <summary>Largest DNS message over TCP: its length prefix is 16 bits (RFC 1035 §4.2.2).</summary>
    public const int MaxTcpMessage = ushort.MaxValue;

    public const ushort ClassInternet = 1;

    // Header flag bits (RFC 1035 §4.1.1; AD/CD from RFC 4035 §3.2).
    public const ushort FlagResponse = 0x8000;
    public const ushort FlagAuthoritative = 0x0400;
    public const ushort FlagTruncated = 0x0200;
    public const ushort FlagRecursionDesired = 0x0100;
    public const ushort FlagRecursionAvailable = 0x0080;
    public const ushort FlagCheckingDisabled = 0x0010;
    public const int OpcodeShift = 11;
    public const ushort OpcodeMask = 0xF;
    public const ushort ResponseCodeMask = 0xF;

    private const int MaxNameLength = 255;
    private const int MaxLabelLength = 63;
    private const byte PointerTag = 0xC0;

    // A name pointing back more often than this is a loop (a legitimate name has at most 127 labels).
    private const int MaxPointerJumps = 128;

    /// <summary>Reads a possibly compressed name at <paramref name="offset"/>; advances it past the name's bytes in place.</summary>
    public static bool TryReadName(ReadOnlySpan<byte> message, ref int offset, out string name)
    {
        name = string.Empty;
        var builder = new StringBuilder();
        int position = offset;
        int jumps = 0;
        int end = -1;
        int length = 0;
        while (true)
        {
            if (position >= message.Length)
            {
                return false;
            }

            byte tag = message[position];
            if ((tag & PointerTag) == PointerTag)
            {
                if (position + 1 >= message.Length || ++jumps > MaxPointerJumps)
                {
                    return false;
                }

                if (end < 0)
                {
                    end = position + 2;
                }

                position = ((tag & ~PointerTag) << 8) | message[position + 1];
                continue;
            }

            if ((tag & PointerTag) != 0 || tag > MaxLabelLength)
            {
                return false;
            }

            position++;
            if (tag == 0)
            {
                break;
            }

            if (position + tag > message.Length)
            {
                return false;
            }

            length += tag + 1;
            if (length > MaxNameLength)
            {
                return false;
            }

            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(Encoding.Latin1.GetString(message.Slice(position, tag)));
            position += tag;
        }

        offset = end >= 0 ? end : position;
        name = builder.ToString();
        return true;
    }

    /// <summary>Encoded length of <paramref name="name"/> without compression, or -1 if it cannot be encoded.</summary>
    public static int NameLength(string name)
    {
        string trimmed = name.TrimEnd('.');
        if (trimmed.Length == 0)
        {
            return 1;
        }

        int total = 1;
        foreach (string label in trimmed.Split('.'))
        {
            if (label.Length == 0 || label.Length > MaxLabelLength)
            {
                return -1;
            }

            total += label.Length + 1;
        }

        return total > MaxNameLength ? -1 : total;
    }

    /// <summary>Writes <paramref name="name"/> uncompressed; the caller checked <see cref="NameLength"/>.</summary>
    public static int WriteName(Span<byte> destination, string name)
    {
        string trimmed = name.TrimEnd('.');
        int position = 0;
        if (trimmed.Length > 0)
        {
            foreach (string label in trimmed.Split('.'))
            {
                destination[position++] = (byte)label.Length;
                position += Encoding.Latin1.GetBytes(label, destination[position..]);
            }
        }

        destination[position++] = 0;
        return position;
    }

    public static ushort ReadUInt16(ReadOnlySpan<byte> message, int offset) => BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);

    public static ushort ReadId(ReadOnlySpan<byte> message) => ReadUInt16(message, 0);

    public static void WriteId(Span<byte> message, ushort id) => BinaryPrimitives.WriteUInt16BigEndian(message, id);
}
