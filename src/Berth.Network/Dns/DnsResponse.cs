using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;

namespace Berth.Network.Dns;

/// <summary>
/// A response: header fields, the question it answers and its answer records. <see cref="Build"/>
/// encodes Berth's own answers; <see cref="TryParse"/> reads any response (an upstream's, or ours in tests).
/// </summary>
public sealed record DnsResponse(ushort Id, DnsResponseCode ResponseCode, DnsQuestion? Question, ImmutableArray<DnsRecord> Answers)
{
    public bool Truncated { get; init; }

    public bool Authoritative { get; init; }

    public bool RecursionAvailable { get; init; }

    /// <summary>
    /// Encodes the answer to <paramref name="query"/>. If it does not fit the client's limit over
    /// <paramref name="transport"/>, the answers are left out and TC is set so the client retries over TCP (RFC 2181 §9).
    /// </summary>
    public static byte[] Build(DnsQuery query, DnsResponseCode code, IReadOnlyList<DnsRecord> answers, DnsTransport transport, bool authoritative = true)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(answers);
        int questionNameLength = DnsWire.NameLength(query.Question.Name);
        if (questionNameLength < 0)
        {
            return HeaderOnly(query.Id, DnsResponseCode.FormatError);
        }

        bool edns = query.EdnsPayloadSize is not null;
        int questionLength = questionNameLength + 4;
        int size = DnsWire.HeaderLength + questionLength + (edns ? OptRecordLength : 0);
        foreach (DnsRecord answer in answers)
        {
            size += RecordLength(answer);
        }

        bool truncated = size > query.MaxResponseSize(transport);
        if (truncated)
        {
            answers = [];
            size = DnsWire.HeaderLength + questionLength + (edns ? OptRecordLength : 0);
        }

        var message = new byte[size];
        Span<byte> span = message;
        ushort flags = (ushort)(DnsWire.FlagResponse | DnsWire.FlagRecursionAvailable | (ushort)code
            | (authoritative ? DnsWire.FlagAuthoritative : 0)
            | (truncated ? DnsWire.FlagTruncated : 0)
            | (query.RecursionDesired ? DnsWire.FlagRecursionDesired : 0)
            | (query.CheckingDisabled ? DnsWire.FlagCheckingDisabled : 0));
        DnsWire.WriteId(span, query.Id);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], (ushort)answers.Count);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(edns ? 1 : 0));
        int offset = DnsWire.HeaderLength + DnsWire.WriteName(span[DnsWire.HeaderLength..], query.Question.Name);
        BinaryPrimitives.WriteUInt16BigEndian(span[offset..], (ushort)query.Question.Type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 2)..], query.Question.Class);
        offset += 4;
        foreach (DnsRecord answer in answers)
        {
            offset += WriteRecord(span[offset..], answer);
        }

        if (edns)
        {
            span[offset] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 1)..], (ushort)DnsRecordType.Opt);
            BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 3)..], DnsWire.MaxUdpPayload);
        }

        return message;
    }

    /// <summary>A response with a code and nothing else, for queries whose question could not be read.</summary>
    public static byte[] HeaderOnly(ushort id, DnsResponseCode code)
    {
        var message = new byte[DnsWire.HeaderLength];
        DnsWire.WriteId(message, id);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)(DnsWire.FlagResponse | (ushort)code));
        return message;
    }

    /// <summary>Reads a response; false if it is not a well-formed response.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out DnsResponse? response)
    {
        response = null;
        if (message.Length < DnsWire.HeaderLength)
        {
            return false;
        }

        ushort flags = DnsWire.ReadUInt16(message, 2);
        if ((flags & DnsWire.FlagResponse) == 0)
        {
            return false;
        }

        int questionCount = DnsWire.ReadUInt16(message, 4);
        int answerCount = DnsWire.ReadUInt16(message, 6);
        int offset = DnsWire.HeaderLength;
        DnsQuestion? question = null;
        for (int i = 0; i < questionCount; i++)
        {
            if (!DnsWire.TryReadName(message, ref offset, out string name) || offset + 4 > message.Length)
            {
                return false;
            }

            question ??= new DnsQuestion(name, (DnsRecordType)DnsWire.ReadUInt16(message, offset), DnsWire.ReadUInt16(message, offset + 2));
            offset += 4;
        }

        var answers = ImmutableArray.CreateBuilder<DnsRecord>(answerCount);
        for (int i = 0; i < answerCount; i++)
        {
            if (!TryReadRecord(message, ref offset, out DnsRecord? record))
            {
                return false;
            }

            answers.Add(record!);
        }

        response = new DnsResponse(DnsWire.ReadId(message), (DnsResponseCode)(flags & DnsWire.ResponseCodeMask), question, answers.MoveToImmutable())
        {
            Truncated = (flags & DnsWire.FlagTruncated) != 0,
            Authoritative = (flags & DnsWire.FlagAuthoritative) != 0,
            RecursionAvailable = (flags & DnsWire.FlagRecursionAvailable) != 0,
        };
        return true;
    }

    private const int OptRecordLength = 11; // root name 1 + type 2 + class 2 + ttl 4 + rdlength 2
    private const int RecordFixedLength = 10; // type 2 + class 2 + ttl 4 + rdlength 2
    private const int IPv4Length = 4;
    private const int IPv6Length = 16;

    private static int RecordLength(DnsRecord record) => DnsWire.NameLength(record.Name) + RecordFixedLength + DataLength(record);

    private static int DataLength(DnsRecord record) => record.Type switch
    {
        DnsRecordType.A => IPv4Length,
        DnsRecordType.Aaaa => IPv6Length,
        DnsRecordType.Ptr => DnsWire.NameLength(record.Target ?? string.Empty),
        _ => record.Data.Length,
    };

    private static int WriteRecord(Span<byte> destination, DnsRecord record)
    {
        int offset = DnsWire.WriteName(destination, record.Name);
        int dataLength = DataLength(record);
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)record.Type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], DnsWire.ClassInternet);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], record.Ttl);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 8)..], (ushort)dataLength);
        offset += RecordFixedLength;
        switch (record.Type)
        {
            case DnsRecordType.A or DnsRecordType.Aaaa:
                record.Address!.TryWriteBytes(destination[offset..], out _);
                break;
            case DnsRecordType.Ptr:
                DnsWire.WriteName(destination[offset..], record.Target ?? string.Empty);
                break;
            default:
                record.Data.Span.CopyTo(destination[offset..]);
                break;
        }

        return offset + dataLength;
    }

    private static bool TryReadRecord(ReadOnlySpan<byte> message, ref int offset, out DnsRecord? record)
    {
        record = null;
        if (!DnsWire.TryReadName(message, ref offset, out string name) || offset + RecordFixedLength > message.Length)
        {
            return false;
        }

        var type = (DnsRecordType)DnsWire.ReadUInt16(message, offset);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]);
        int dataLength = DnsWire.ReadUInt16(message, offset + 8);
        offset += RecordFixedLength;
        if (offset + dataLength > message.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> data = message.Slice(offset, dataLength);
        int dataOffset = offset;
        offset += dataLength;
        switch (type)
        {
            case DnsRecordType.A when dataLength == IPv4Length:
            case DnsRecordType.Aaaa when dataLength == IPv6Length:
                record = new DnsRecord(name, type, ttl, Address: new IPAddress(data));
                return true;
            case DnsRecordType.Ptr:
                if (!DnsWire.TryReadName(message, ref dataOffset, out string target))
                {
                    return false;
                }

                record = new DnsRecord(name, type, ttl, Target: target);
                return true;
            default:
                record = new DnsRecord(name, type, ttl) { Data = data.ToArray() };
                return true;
        }
    }
}
