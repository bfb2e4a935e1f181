using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Berth.Runtime.Containers;
using Berth.Runtime.Logging;

namespace Berth.Runtime.Tests.Logging;

/// <summary>Docker's json-file and local formats: the bytes written, and reading them back.</summary>
public sealed class LogFormatTests
{
    /// <summary>2026-01-02T03:04:05.120000000Z.</summary>
    private const long Nanos = 1767323045_120000000;

    [Fact]
    public void JsonFileWritesDockersLineWithKeysInMobysOrder()
    {
        var output = new ArrayBufferWriter<byte>();
        JsonFileFormat.Plain.Write(new LogRecord(Nanos, LogStream.Stdout, false, "hello \"world\""u8.ToArray()), output);
        Assert.Equal("{\"log\":\"hello \\\"world\\\"\\n\",\"stream\":\"stdout\",\"time\":\"2026-01-02T03:04:05.12Z\"}\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void JsonFileEscapesAsGoAndReplacesBytesThatAreNotUtf8()
    {
        var output = new ArrayBufferWriter<byte>();
        byte[] text = [.. "<a&b>\t\u0001é"u8, 0xFF, .. "\u2028"u8];
        JsonFileFormat.Plain.Write(new LogRecord(Nanos, LogStream.Stderr, true, text), output);
        string line = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.StartsWith("{\"log\":\"\\u003ca\\u0026b\\u003e\\t\\u0001é\\ufffd\\u2028\",\"stream\":\"stderr\"", line);

        // A standard JSON parser reads it: what tools reading Docker's logs do.
        using var json = JsonDocument.Parse(line);
        Assert.Equal("<a&b>\t\u0001é\uFFFD\u2028", json.RootElement.GetProperty("log").GetString());
    }

    [Fact]
    public void JsonFileWritesAttrsBeforeTheTime()
    {
        var format = new JsonFileFormat(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("tag", "web"), KeyValuePair.Create("app", "x")]));
        var output = new ArrayBufferWriter<byte>();
        format.Write(new LogRecord(Nanos, LogStream.Stdout, false, "a"u8.ToArray()), output);
        Assert.Equal("{\"log\":\"a\\n\",\"stream\":\"stdout\",\"attrs\":{\"app\":\"x\",\"tag\":\"web\"},\"time\":\"2026-01-02T03:04:05.12Z\"}\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(1767323045_000000000, "2026-01-02T03:04:05Z")]
    [InlineData(1767323045_000000001, "2026-01-02T03:04:05.000000001Z")]
    [InlineData(1767323045_123456789, "2026-01-02T03:04:05.123456789Z")]
    public void TimesAreGosRfc3339Nano(long nanos, string expected)
    {
        byte[] buffer = new byte[LogTime.MaxRfc3339NanoBytes];
        int n = LogTime.FormatRfc3339Nano(nanos, buffer);
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Theory]
    [InlineData("json-file")]
    [InlineData("local")]
    public void RecordsRoundTrip(string driver)
    {
        ILogFormat format = driver == "local" ? LocalFormat.Instance : JsonFileFormat.Plain;
        LogRecord[] records =
        [
            new(Nanos, LogStream.Stdout, false, "line one"u8.ToArray()),
            new(Nanos + 1, LogStream.Stderr, true, "a piece "u8.ToArray()),
            new(Nanos + 2, LogStream.Stderr, false, [.. "bytes \\ \" \u00e9 "u8, 0x00, 0x7F]),
            new(Nanos + 3, LogStream.Stdout, false, []),
        ];
        var output = new ArrayBufferWriter<byte>();
        foreach (var record in records)
        {
            format.Write(record, output);
        }

        var read = DriverLog.Decode(output.WrittenSpan, format);
        Assert.Equal(records.Length, read.Count);
        for (int i = 0; i < records.Length; i++)
        {
            Assert.Equal((records[i].UnixNanos, records[i].Stream, records[i].Partial), (read[i].UnixNanos, read[i].Stream, read[i].Partial));
            Assert.Equal(records[i].Content, read[i].Content);
        }
    }

    [Fact]
    public void LocalFramesEachProtobufEntryBetweenTwoBigEndianLengths()
    {
        var output = new ArrayBufferWriter<byte>();
        LocalFormat.Instance.Write(new LogRecord(1, LogStream.Stdout, false, "hi"u8.ToArray()), output);

        // source (1) "stdout", time_nano (2) 1, line (3) "hi"
        byte[] entry = [0x0A, 6, .. "stdout"u8, 0x10, 1, 0x1A, 2, .. "hi"u8];
        Assert.Equal([0, 0, 0, (byte)entry.Length, .. entry, 0, 0, 0, (byte)entry.Length], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void AnIncompleteRecordWaits()
    {
        var output = new ArrayBufferWriter<byte>();
        LocalFormat.Instance.Write(new LogRecord(Nanos, LogStream.Stdout, false, "x"u8.ToArray()), output);
        Assert.Equal(0, LocalFormat.Instance.Read(output.WrittenSpan[..^1], out _));
        Assert.Equal(0, JsonFileFormat.Plain.Read("{\"log\":\"x"u8, out _));
    }
}
