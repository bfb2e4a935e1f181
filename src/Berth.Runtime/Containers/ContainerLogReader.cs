using System.Globalization;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Runtime.Containers;

/// <summary>
/// Reads conmon's k8s-file log: <c>TIME STREAM TAG TEXT</c> per line, e.g.
/// <c>2026-11-27T23:00:00.000000000+00:00 stdout F text</c>. Tag <c>P</c> marks a partial line (conmon
/// splits long lines and writes what it has read so far); it is joined with the following records of
/// the same stream up to the next <c>F</c>. Content is kept as bytes: containers may write anything.
/// </summary>
public static class ContainerLogReader
{
    private const long NanosPerSecond = 1_000_000_000;
    private const int NanoDigits = 9;

    /// <summary>Whole lines of the log at <paramref name="path"/> as text (partial records joined).</summary>
    public static IEnumerable<LogEntry> Read(string path) =>
        JoinPartials(ReadRecords(path)).Select(r => new LogEntry(r.Time, r.Stream, Encoding.UTF8.GetString(r.Content)));

    /// <summary>Every record of the log as written; nothing when the log does not exist.</summary>
    public static IReadOnlyList<LogRecord> ReadRecords(string path)
    {
        using var follower = new ContainerLogFollower(path, fromStart: true);
        return follower.ReadNew();
    }

    /// <summary>
    /// Joins each stream's partial records with the records that complete them (time of the first piece).
    /// A stream whose last record is partial yields it still partial, at its place in the order.
    /// </summary>
    public static IEnumerable<LogRecord> JoinPartials(IEnumerable<LogRecord> records)
    {
        var pending = new Dictionary<LogStream, LogRecord>();
        foreach (LogRecord record in records)
        {
            LogRecord joined = pending.Remove(record.Stream, out LogRecord? head)
                ? new LogRecord(head.UnixNanos, record.Stream, record.Partial, [.. head.Content, .. record.Content])
                : record;
            if (joined.Partial)
            {
                pending[record.Stream] = joined;
            }
            else
            {
                yield return joined;
            }
        }

        foreach (LogRecord rest in pending.Values.OrderBy(r => r.UnixNanos))
        {
            yield return rest;
        }
    }

    /// <summary>One line of the log, without its newline.</summary>
    public static LogRecord ParseRecord(ReadOnlySpan<byte> line)
    {
        int timeEnd = line.IndexOf((byte)' ');
        int streamEnd = timeEnd < 0 ? -1 : line[(timeEnd + 1)..].IndexOf((byte)' ');
        if (streamEnd < 0)
        {
            throw Malformed(line);
        }

        streamEnd += timeEnd + 1;
        ReadOnlySpan<byte> rest = line[(streamEnd + 1)..];
        ReadOnlySpan<byte> tag = rest.IndexOf((byte)' ') is int space and >= 0 ? rest[..space] : rest;
        byte[] content = rest.Length > tag.Length ? rest[(tag.Length + 1)..].ToArray() : [];
        LogStream stream = line[(timeEnd + 1)..streamEnd] switch
        {
            var s when s.SequenceEqual("stdout"u8) => LogStream.Stdout,
            var s when s.SequenceEqual("stderr"u8) => LogStream.Stderr,
            _ => throw Malformed(line),
        };
        return new LogRecord(ParseUnixNanos(Encoding.ASCII.GetString(line[..timeEnd])), stream, tag.SequenceEqual("P"u8), content);
    }

    /// <summary>RFC 3339 with up to nine fractional digits (conmon writes nine) → nanoseconds since the epoch.</summary>
    public static long ParseUnixNanos(string text)
    {
        long nanos = 0;
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        string whole = text;
        if (dot >= 0)
        {
            int end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            string digits = text[(dot + 1)..end];
            digits = digits.Length > NanoDigits ? digits[..NanoDigits] : digits.PadRight(NanoDigits, '0');
            nanos = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            whole = string.Concat(text.AsSpan(0, dot), text.AsSpan(end));
        }

        if (!DateTimeOffset.TryParse(whole, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
        {
            throw new BerthException(ErrorKind.Internal, $"container log line has a malformed time \"{text}\"");
        }

        return (time.ToUnixTimeSeconds() * NanosPerSecond) + nanos;
    }

    private static BerthException Malformed(ReadOnlySpan<byte> line) =>
        new(ErrorKind.Internal, $"malformed container log line \"{Encoding.UTF8.GetString(line)}\"");
}
