using System.Buffers.Binary;

namespace Berth.Network.Dns;

/// <summary>
/// A standard query as the resolver sees it: its id, flags it must echo, its one question, and the
/// UDP payload size the client announced in an EDNS0 OPT record (null without EDNS0).
/// </summary>
public sealed record DnsQuery(ushort Id, DnsQuestion Question, bool RecursionDesired = true, ushort? EdnsPayloadSize = null)
{
    public bool CheckingDisabled { get; init; }

    /// <summary>The largest answer this client accepts over <paramref name="transport"/>.</summary>
    public int MaxResponseSize(DnsTransport transport) => transport == DnsTransport.Tcp
        ? DnsWire.MaxTcpMessage
        : Math.Clamp((int)(EdnsPayloadSize ?? 0), DnsWire.ClassicUdpLimit, DnsWire.MaxUdpPayload);

    /// <summary>Reads a query; <paramref name="id"/> is set whenever there is a header, so even FORMERR can be addressed.</summary>
    public static DnsQueryStatus TryParse(ReadOnlySpan<byte> message, out DnsQuery? query, out ushort id)
    {
        query = null;
        id = 0;
        if (message.Length < DnsWire.HeaderLength)
        {
            return DnsQueryStatus.Unreadable;
        }

        id = DnsWire.ReadId(message);
        ushort flags = DnsWire.ReadUInt16(message, 2);
        if ((flags & DnsWire.FlagResponse) != 0)
        {
            return DnsQueryStatus.Unreadable;
        }

        if (((flags >> DnsWire.OpcodeShift) & DnsWire.OpcodeMask) != 0)
        {
            return DnsQueryStatus.NotImplemented;
        }

        ushort questions = DnsWire.ReadUInt16(message, 4);
        ushort answers = DnsWire.ReadUInt16(message, 6);
        ushort authorities = DnsWire.ReadUInt16(message, 8);
        ushort additionals = DnsWire.ReadUInt16(message, 10);
        int offset = DnsWire.HeaderLength;
        if (questions != 1 || !DnsWire.TryReadName(message, ref offset, out string name) || offset + 4 > message.Length)
        {
            return DnsQueryStatus.Malformed;
        }

        var question = new DnsQuestion(name, (DnsRecordType)DnsWire.ReadUInt16(message, offset), DnsWire.ReadUInt16(message, offset + 2));
        offset += 4;

        ushort? payloadSize = null;
        for (int i = 0; i < answers + authorities + additionals; i++)
        {
            if (!DnsWire.TryReadName(message, ref offset, out _) || offset + 10 > message.Length)
            {
                return DnsQueryStatus.Malformed;
            }

            var type = (DnsRecordType)DnsWire.ReadUInt16(message, offset);
            ushort recordClass = DnsWire.ReadUInt16(message, offset + 2);
            int dataLength = DnsWire.ReadUInt16(message, offset + 8);
            offset += 10 + dataLength;
            if (offset > message.Length)
            {
                return DnsQueryStatus.Malformed;
            }

            // The OPT pseudo-record's CLASS is the requester's UDP payload size (RFC 6891 §6.1.2).
            if (type == DnsRecordType.Opt && i >= answers + authorities)
            {
                payloadSize = recordClass;
            }
        }

        query = new DnsQuery(id, question, (flags & DnsWire.FlagRecursionDesired) != 0, payloadSize)
        {
            CheckingDisabled = (flags & DnsWire.FlagCheckingDisabled) != 0,
        };
        return DnsQueryStatus.Ok;
    }

    /// <summary>Encodes this query (used by tests and probes; the forwarder relays the client's own bytes).</summary>
    public byte[] ToWire()
    {
        int nameLength = DnsWire.NameLength(Question.Name);
        if (nameLength < 0)
        {
            throw new ArgumentException($"\"{Question.Name}\" is not a valid DNS name", nameof(Question));
        }

        const int OptRecordLength = 11; // root name 1 + type 2 + class 2 + ttl 4 + rdlength 2
        var message = new byte[DnsWire.HeaderLength + nameLength + 4 + (EdnsPayloadSize is null ? 0 : OptRecordLength)];
        Span<byte> span = message;
        DnsWire.WriteId(span, Id);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)((RecursionDesired ? DnsWire.FlagRecursionDesired : 0) | (CheckingDisabled ? DnsWire.FlagCheckingDisabled : 0)));
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(EdnsPayloadSize is null ? 0 : 1));
        int offset = DnsWire.HeaderLength + DnsWire.WriteName(span[DnsWire.HeaderLength..], Question.Name);
        BinaryPrimitives.WriteUInt16BigEndian(span[offset..], (ushort)Question.Type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 2)..], Question.Class);
        offset += 4;
        if (EdnsPayloadSize is { } size)
        {
            span[offset] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 1)..], (ushort)DnsRecordType.Opt);
            BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 3)..], size);
        }

        return message;
    }
}
