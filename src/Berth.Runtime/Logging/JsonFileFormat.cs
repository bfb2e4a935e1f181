using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Logging;

/// <summary>
/// Docker's json-file format: one object per line, <c>{"log":"TEXT\n","stream":"stdout","attrs":{…},"time":"RFC3339Nano"}</c>,
/// keys in moby's order (<c>jsonlog.JSONLogs.MarshalJSONBuf</c>), the time in UTC with trailing zeros of the fraction left out
/// (Go's <c>time.RFC3339Nano</c>). A piece of a line not ended yet (conmon's <c>P</c>) has no newline in <c>log</c>.
/// Text is escaped as moby does: quotes, backslashes, control characters, <c>&lt; &gt; &amp;</c>, U+2028/U+2029; bytes that
/// are not UTF-8 become U+FFFD.
/// </summary>
public sealed class JsonFileFormat : ILogFormat
{
    /// <summary>Room for everything of a line but its text: keys, stream, time (35 bytes at most), braces, newline.</summary>
    private const int FixedBytes = 96;

    /// <summary>The most an input byte becomes once escaped (<c>\u00XX</c>).</summary>
    private const int MaxEscapedBytesPerByte = 6;

    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();

    private readonly byte[] _attrs;

    /// <param name="attrs">The <c>attrs</c> object written on every line (labels, env, tag); empty leaves it out.</param>
    public JsonFileFormat(ImmutableSortedDictionary<string, string>? attrs = null)
    {
        _attrs = attrs is { Count: > 0 } ? Object(attrs) : [];
    }

    public static JsonFileFormat Plain { get; } = new();

    public void Write(LogRecord record, ArrayBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> span = output.GetSpan((record.Content.Length * MaxEscapedBytesPerByte) + _attrs.Length + FixedBytes);
        int n = Put(span, 0, "{\"log\":\""u8);
        n = Escape(record.Content, span, n);
        if (!record.Partial)
        {
            n = Put(span, n, "\\n"u8);
        }

        n = Put(span, n, record.Stream == LogStream.Stdout ? "\",\"stream\":\"stdout\""u8 : "\",\"stream\":\"stderr\""u8);
        if (_attrs.Length > 0)
        {
            n = Put(span, n, ",\"attrs\":"u8);
            n = Put(span, n, _attrs);
        }

        n = Put(span, n, ",\"time\":\""u8);
        n += LogTime.FormatRfc3339Nano(record.UnixNanos, span[n..]);
        n = Put(span, n, "\"}\n"u8);
        output.Advance(n);
    }

    public int Read(ReadOnlySpan<byte> data, out LogRecord? record)
    {
        int newline = data.IndexOf((byte)'\n');
        record = newline > 0 ? Parse(data[..newline]) : null;
        return newline + 1;
    }

    /// <summary>One line of a json-file log (without its newline).</summary>
    public static LogRecord Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        byte[]? log = null;
        LogStream stream = LogStream.Stdout;
        long nanos = 0;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("log"u8))
                {
                    reader.Read();
                    byte[] buffer = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
                    log = buffer[..reader.CopyString(buffer)];
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    stream = reader.ValueTextEquals("stderr"u8) ? LogStream.Stderr : LogStream.Stdout;
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    nanos = ContainerLogReader.ParseUnixNanos(reader.GetString() ?? "");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            throw new BerthException(ErrorKind.Internal, $"malformed json-file log line \"{Encoding.UTF8.GetString(line)}\": {e.Message}");
        }

        log ??= [];
        bool whole = log.Length > 0 && log[^1] == (byte)'\n';
        return new LogRecord(nanos, stream, !whole, whole ? log[..^1] : log);
    }

    /// <summary>A JSON object of the pairs, keys sorted (as Go's encoding of a map).</summary>
    private static byte[] Object(ImmutableSortedDictionary<string, string> pairs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in pairs)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static int Put(Span<byte> span, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        return at + bytes.Length;
    }

    private static int Escape(ReadOnlySpan<byte> text, Span<byte> span, int n)
    {
        int i = 0;
        while (i < text.Length)
        {
            byte b = text[i];
            if (b < 0x80)
            {
                i++;
                switch (b)
                {
                    case (byte)'"' or (byte)'\\':
                        span[n++] = (byte)'\\';
                        span[n++] = b;
                        break;
                    case (byte)'\n':
                        n = Put(span, n, "\\n"u8);
                        break;
                    case (byte)'\r':
                        n = Put(span, n, "\\r"u8);
                        break;
                    case (byte)'\t':
                        n = Put(span, n, "\\t"u8);
                        break;
                    case < 0x20 or (byte)'<' or (byte)'>' or (byte)'&':
                        n = Put(span, n, "\\u00"u8);
                        span[n++] = Hex[b >> 4];
                        span[n++] = Hex[b & 0xF];
                        break;
                    default:
                        span[n++] = b;
                        break;
                }

                continue;
            }

            if (Rune.DecodeFromUtf8(text[i..], out Rune rune, out int consumed) != OperationStatus.Done)
            {
                n = Put(span, n, "\\ufffd"u8);
            }
            else if (rune.Value is 0x2028 or 0x2029)
            {
                n = Put(span, n, rune.Value == 0x2028 ? "\\u2028"u8 : "\\u2029"u8);
            }
            else
            {
                n = Put(span, n, text.Slice(i, consumed));
            }

            i += consumed;
        }

        return n;
    }
}
