using System.Buffers;
using System.Buffers.Binary;
using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Logging;

/// <summary>
/// Docker's local driver format (moby <c>daemon/logger/local</c>): each record a protobuf <c>LogEntry</c> between two
/// big-endian 32-bit lengths (the trailing one lets a reader walk back from the end). The fields Berth writes:
/// <c>source</c> (1, "stdout"/"stderr"), <c>time_nano</c> (2), <c>line</c> (3, without its newline), <c>partial</c>
/// (4, for a piece of a line not ended yet). Other fields are skipped when read.
/// </summary>
public sealed class LocalFormat : ILogFormat
{
    /// <summary>moby local <c>encodeBinaryLen</c>: the size of each length around a record.</summary>
    private const int LengthBytes = 4;

    /// <summary>A record larger than this is not one of ours: the file is damaged (moby caps a line at 16 KiB pieces, conmon at 8 KiB).</summary>
    private const int MaxRecordBytes = 1 << 24;

    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireBytes = 2;
    private const int WireFixed32 = 5;

    private const int FieldSource = 1;
    private const int FieldTimeNano = 2;
    private const int FieldLine = 3;
    private const int FieldPartial = 4;

    /// <summary>The most a varint takes (protobuf encoding).</summary>
    private const int MaxVarintBytes = 10;

    public static LocalFormat Instance { get; } = new();

    public void Write(LogRecord record, ArrayBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(output);
        ReadOnlySpan<byte> source = record.Stream == LogStream.Stdout ? "stdout"u8 : "stderr"u8;
        Span<byte> span = output.GetSpan((2 * LengthBytes) + record.Content.Length + source.Length + (6 * MaxVarintBytes));
        int n = LengthBytes;
        n = Tag(span, n, FieldSource, WireBytes);
        n = Varint(span, n, (ulong)source.Length);
        source.CopyTo(span[n..]);
        n += source.Length;
        n = Tag(span, n, FieldTimeNano, WireVarint);
        n = Varint(span, n, (ulong)record.UnixNanos);
        n = Tag(span, n, FieldLine, WireBytes);
        n = Varint(span, n, (ulong)record.Content.Length);
        record.Content.CopyTo(span[n..]);
        n += record.Content.Length;
        if (record.Partial)
        {
            n = Tag(span, n, FieldPartial, WireVarint);
            n = Varint(span, n, 1);
        }

        uint size = (uint)(n - LengthBytes);
        BinaryPrimitives.WriteUInt32BigEndian(span, size);
        BinaryPrimitives.WriteUInt32BigEndian(span[n..], size);
        output.Advance(n + LengthBytes);
    }

    public int Read(ReadOnlySpan<byte> data, out LogRecord? record)
    {
        record = null;
        if (data.Length < LengthBytes)
        {
            return 0;
        }

        uint size = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (size > MaxRecordBytes)
        {
            throw new BerthException(ErrorKind.Internal, $"local log record of {size} bytes: the log is damaged");
        }

        int total = (int)size + (2 * LengthBytes);
        if (data.Length < total)
        {
            return 0;
        }

        record = Decode(data.Slice(LengthBytes, (int)size));
        return total;
    }

    private static LogRecord Decode(ReadOnlySpan<byte> entry)
    {
        var stream = LogStream.Stdout;
        long nanos = 0;
        byte[] line = [];
        bool partial = false;
        int at = 0;
        while (at < entry.Length)
        {
            ulong key = ReadVarint(entry, ref at);
            int field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case WireVarint:
                    ulong value = ReadVarint(entry, ref at);
                    if (field == FieldTimeNano)
                    {
                        nanos = (long)value;
                    }
                    else if (field == FieldPartial)
                    {
                        partial = value != 0;
                    }

                    break;
                case WireBytes:
                    int length = checked((int)ReadVarint(entry, ref at));
                    var bytes = entry.Slice(at, length);
                    at += length;
                    if (field == FieldSource)
                    {
                        stream = bytes.SequenceEqual("stderr"u8) ? LogStream.Stderr : LogStream.Stdout;
                    }
                    else if (field == FieldLine)
                    {
                        line = bytes.ToArray();
                    }

                    break;
                case WireFixed64:
                    at += sizeof(ulong);
                    break;
                case WireFixed32:
                    at += sizeof(uint);
                    break;
                default:
                    throw new BerthException(ErrorKind.Internal, "local log record with an unknown protobuf wire type: the log is damaged");
            }
        }

        return new LogRecord(nanos, stream, partial, line);
    }

    private static int Tag(Span<byte> span, int at, int field, int wireType) => Varint(span, at, (ulong)((field << 3) | wireType));

    private static int Varint(Span<byte> span, int at, ulong value)
    {
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[at++] = (byte)value;
        return at;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new BerthException(ErrorKind.Internal, "local log record with a malformed varint: the log is damaged");
    }
}
