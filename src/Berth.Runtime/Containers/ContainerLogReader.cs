using System.Globalization;
using Berth.Core.Errors;

namespace Berth.Runtime.Containers;

/// <summary>
/// Reads conmon's k8s-file log: <c>TIME STREAM TAG TEXT</c> per line, e.g.
/// <c>2026-11-27T23:00:00.000000000+00:00 stdout F text</c>. Tag <c>P</c> marks a partial line (conmon
/// splits long lines); it is joined with the following lines of the same stream up to the next <c>F</c>.
/// </summary>
public static class ContainerLogReader
{
    /// <summary>.NET parses at most 7 fractional digits; conmon writes 9 (nanoseconds).</summary>
    private const int MaxFractionDigits = 7;

    public static IEnumerable<LogEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        var partial = new Dictionary<LogStream, (DateTimeOffset Time, string Text)>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            (DateTimeOffset time, LogStream stream, bool full, string text) = ParseLine(line);
            if (partial.Remove(stream, out var head))
            {
                time = head.Time;
                text = head.Text + text;
            }

            if (full)
            {
                yield return new LogEntry(time, stream, text);
            }
            else
            {
                partial[stream] = (time, text);
            }
        }

        foreach ((LogStream stream, (DateTimeOffset time, string text)) in partial)
        {
            yield return new LogEntry(time, stream, text);
        }
    }

    public static (DateTimeOffset Time, LogStream Stream, bool Full, string Text) ParseLine(string line)
    {
        string[] fields = line.Split(' ', 4);
        if (fields.Length < 3)
        {
            throw new BerthException(ErrorKind.Internal, $"malformed container log line \"{line}\"");
        }

        LogStream stream = fields[1] switch
        {
            "stdout" => LogStream.Stdout,
            "stderr" => LogStream.Stderr,
            _ => throw new BerthException(ErrorKind.Internal, $"container log line has unknown stream \"{fields[1]}\""),
        };
        return (ParseTime(fields[0]), stream, fields[2] != "P", fields.Length == 4 ? fields[3] : "");
    }

    private static DateTimeOffset ParseTime(string text)
    {
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            int end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > MaxFractionDigits)
            {
                text = string.Concat(text.AsSpan(0, dot + 1 + MaxFractionDigits), text.AsSpan(end));
            }
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
        {
            throw new BerthException(ErrorKind.Internal, $"container log line has a malformed time \"{text}\"");
        }

        return time;
    }
}
