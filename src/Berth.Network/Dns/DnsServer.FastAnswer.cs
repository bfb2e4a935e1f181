using System.Buffers.Binary;

namespace Berth.Network.Dns;

/// <summary>
/// The resolver's fast path: an A or AAAA query for a name one of the asking container's networks has,
/// answered straight from the wire bytes into the caller's buffer — the question copied as it came, each
/// record naming it by a compression pointer (RFC 1035 §4.1.4) — with no allocation. Anything else
/// (other types, PTR, names on several networks, unknown names, unusual messages) takes the general path.
/// </summary>
public sealed partial class DnsServer
{
    private const int QuestionNameOffset = DnsWire.HeaderLength;
    private const ushort PointerToQuestion = 0xC000 | QuestionNameOffset;
    private const int AnswerFixedLength = 12; // pointer 2 + type 2 + class 2 + ttl 4 + rdlength 2
    private const int OptRecordLength = 11; // root name 1 + type 2 + class 2 + ttl 4 + rdlength 2
    private const int MaxNameChars = 253; // RFC 1035 §2.3.4: 255 octets of wire form
    private const int MaxLabelLength = 63;

    /// <summary>The answer's length in <paramref name="destination"/>; -1 when the general path must answer.</summary>
    internal int TryAnswerFast(string containerId, ReadOnlySpan<byte> message, DnsTransport transport, Span<byte> destination)
    {
        if (message.Length < DnsWire.HeaderLength)
        {
            return -1;
        }

        ushort flags = DnsWire.ReadUInt16(message, 2);
        if ((flags & DnsWire.FlagResponse) != 0 || ((flags >> DnsWire.OpcodeShift) & DnsWire.OpcodeMask) != 0
            || DnsWire.ReadUInt16(message, 4) != 1 || DnsWire.ReadUInt16(message, 6) != 0 || DnsWire.ReadUInt16(message, 8) != 0)
        {
            return -1;
        }

        // The question's name, lower case (RFC 4343), uncompressed labels only.
        Span<char> name = stackalloc char[MaxNameChars + 1];
        int length = 0;
        int offset = QuestionNameOffset;
        while (true)
        {
            if (offset >= message.Length)
            {
                return -1;
            }

            int label = message[offset++];
            if (label == 0)
            {
                break;
            }

            if (label > MaxLabelLength || offset + label > message.Length || length + label + 1 > MaxNameChars)
            {
                return -1;
            }

            if (length > 0)
            {
                name[length++] = '.';
            }

            foreach (byte b in message.Slice(offset, label))
            {
                name[length++] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b + ('a' - 'A') : b);
            }

            offset += label;
        }

        int questionEnd = offset + 4;
        if (length == 0 || questionEnd > message.Length || DnsWire.ReadUInt16(message, offset + 2) != DnsWire.ClassInternet)
        {
            return -1;
        }

        var type = (DnsRecordType)DnsWire.ReadUInt16(message, offset);
        if (type is not (DnsRecordType.A or DnsRecordType.Aaaa))
        {
            return -1;
        }

        // At most one additional record, and then an OPT with the root name (RFC 6891 §6.1.2).
        ushort additionals = DnsWire.ReadUInt16(message, 10);
        int payloadSize = 0;
        if (additionals == 1)
        {
            if (questionEnd + OptRecordLength > message.Length || message[questionEnd] != 0
                || DnsWire.ReadUInt16(message, questionEnd + 1) != (ushort)DnsRecordType.Opt
                || questionEnd + OptRecordLength + DnsWire.ReadUInt16(message, questionEnd + 9) > message.Length)
            {
                return -1;
            }

            payloadSize = DnsWire.ReadUInt16(message, questionEnd + 3);
        }
        else if (additionals != 0)
        {
            return -1;
        }

        if (!Registry.Current.AnswerIndex.TryFind(containerId, name[..length], out DnsAddressSet? set))
        {
            return -1;
        }

        bool v4 = type == DnsRecordType.A;
        byte[] addresses = v4 ? set!.V4 : set!.V6;
        int size = v4 ? DnsAddressSet.IPv4Length : DnsAddressSet.IPv6Length;
        int count = addresses.Length / size;
        bool edns = additionals == 1;
        int limit = transport == DnsTransport.Tcp ? DnsWire.MaxTcpMessage : Math.Clamp(payloadSize, DnsWire.ClassicUdpLimit, DnsWire.MaxUdpPayload);
        int total = questionEnd + (count * (AnswerFixedLength + size)) + (edns ? OptRecordLength : 0);
        bool truncated = total > limit;
        if (truncated)
        {
            count = 0;
            total = questionEnd + (edns ? OptRecordLength : 0);
        }

        if (total > destination.Length)
        {
            return -1;
        }

        // Header: the query's id, RD and CD echoed; authoritative, recursion available, NOERROR.
        message[..2].CopyTo(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(DnsWire.FlagResponse | DnsWire.FlagAuthoritative | DnsWire.FlagRecursionAvailable
            | (truncated ? DnsWire.FlagTruncated : 0) | (flags & (DnsWire.FlagRecursionDesired | DnsWire.FlagCheckingDisabled))));
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)count);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], edns ? 1u : 0u);
        message[QuestionNameOffset..questionEnd].CopyTo(destination[QuestionNameOffset..]);

        int start = count < 2 ? 0 : (int)((uint)(Interlocked.Increment(ref v4 ? ref set.TurnV4 : ref set.TurnV6) - 1) % (uint)count);
        int position = questionEnd;
        for (int k = 0; k < count; k++)
        {
            Span<byte> record = destination[position..];
            BinaryPrimitives.WriteUInt16BigEndian(record, PointerToQuestion);
            BinaryPrimitives.WriteUInt16BigEndian(record[2..], (ushort)type);
            BinaryPrimitives.WriteUInt16BigEndian(record[4..], DnsWire.ClassInternet);
            BinaryPrimitives.WriteUInt32BigEndian(record[6..], DnsNames.RecordTtlSeconds);
            BinaryPrimitives.WriteUInt16BigEndian(record[10..], (ushort)size);
            addresses.AsSpan(((start + k) % count) * size, size).CopyTo(record[AnswerFixedLength..]);
            position += AnswerFixedLength + size;
        }

        if (edns)
        {
            Span<byte> opt = destination[position..];
            opt[..OptRecordLength].Clear();
            BinaryPrimitives.WriteUInt16BigEndian(opt[1..], (ushort)DnsRecordType.Opt);
            BinaryPrimitives.WriteUInt16BigEndian(opt[3..], DnsWire.MaxUdpPayload);
        }

        return total;
    }
}
