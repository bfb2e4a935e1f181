using System.Globalization;
using Berth.Core.Errors;

namespace Berth.Runtime.Containers;

/// <summary>
/// Which lines <c>docker logs</c> shows, in moby's order: the last <see cref="Tail"/> lines of the log
/// (both streams counted), then those inside [<see cref="SinceUnixNanos"/>, <see cref="UntilUnixNanos"/>],
/// then the streams asked for.
/// </summary>
public sealed record ContainerLogQuery
{
    private const long NanosPerSecond = 1_000_000_000;
    private const int NanoDigits = 9;

    public bool Stdout { get; init; } = true;

    public bool Stderr { get; init; } = true;

    /// <summary>The last N lines; null is all of them.</summary>
    public int? Tail { get; init; }

    /// <summary>Lines written at or after this time; null is from the beginning.</summary>
    public long? SinceUnixNanos { get; init; }

    /// <summary>Lines written at or before this time; null is no limit.</summary>
    public long? UntilUnixNanos { get; init; }

    /// <summary>The lines of <paramref name="records"/> (partial records joined) this query shows.</summary>
    public IEnumerable<LogRecord> Select(IEnumerable<LogRecord> records)
    {
        var lines = ContainerLogReader.JoinPartials(records).ToList();
        IEnumerable<LogRecord> tail = Tail is int last && last < lines.Count ? lines.Skip(lines.Count - last) : lines;
        return tail.Where(Shows);
    }

    /// <summary>Whether one record (or line) is of a wanted stream and inside the time window.</summary>
    public bool Shows(LogRecord record) =>
        (record.Stream == LogStream.Stdout ? Stdout : Stderr)
        && !(record.UnixNanos < SinceUnixNanos)
        && !IsPastUntil(record);

    /// <summary>Whether the record was written after <see cref="UntilUnixNanos"/>: a follower stops there.</summary>
    public bool IsPastUntil(LogRecord record) => record.UnixNanos > UntilUnixNanos;

    /// <summary>
    /// The CLI's <c>since</c>/<c>until</c>: unix seconds with an optional fraction (<c>1700000000.123456789</c>,
    /// as the CLI sends them). Empty and <c>0</c> mean no limit.
    /// </summary>
    public static long? ParseTimestamp(string text, string name)
    {
        if (text.Length == 0)
        {
            return null;
        }

        string[] parts = text.Split('.', 2);
        if (!long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds)
            || (parts.Length == 2 && (parts[1].Length is 0 or > NanoDigits || !parts[1].All(char.IsAsciiDigit))))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid value for \"{name}\": \"{text}\"; give unix seconds, optionally with up to nine fractional digits");
        }

        long nanos = parts.Length == 2 ? long.Parse(parts[1].PadRight(NanoDigits, '0'), NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        long total = (seconds * NanosPerSecond) + nanos;
        return total == 0 ? null : total;
    }

    /// <summary>The CLI's <c>tail</c>: a count, or <c>all</c> (also empty or negative, as in moby).</summary>
    public static int? ParseTail(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int count) && count >= 0 ? count : null;
}
