using System.Globalization;

namespace Berth.Cli.Formatting;

/// <summary>
/// docker's <c>GetTimestamp</c> for <c>logs --since/--until</c>: a duration is "that long before now" in Unix seconds; a date or
/// RFC 3339 time (local when it names no zone) becomes <c>seconds.nanoseconds</c>; a Unix timestamp passes through.
/// </summary>
public static class DockerTimestamp
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HHK", "yyyy-MM-ddK", "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH",
    ];

    public static string Get(string value, DateTimeOffset now)
    {
        if (value != "0" && GoDuration.TryParse(value, out var nanoseconds))
        {
            return now.AddTicks(-nanoseconds / 100).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }

        // Go keeps nine fractional digits; .NET parses seven, so the fraction is taken from the text.
        var fraction = "";
        var parseable = value;
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && value.Contains('-', StringComparison.Ordinal))
        {
            var end = dot + 1;
            while (end < value.Length && char.IsAsciiDigit(value[end]))
            {
                end++;
            }

            fraction = value[(dot + 1)..end];
            parseable = value[..dot] + value[end..];
        }

        var hasZone = value.IndexOfAny(['Z', 'z', '+']) >= 0 || value.Count(c => c == '-') == 3;
        var styles = hasZone ? DateTimeStyles.AdjustToUniversal : DateTimeStyles.AssumeLocal;
        if (DateTimeOffset.TryParseExact(parseable.Replace('z', 'Z'), Formats, CultureInfo.InvariantCulture, styles, out var time))
        {
            var nanos = fraction.Length == 0 ? "000000000" : fraction.PadRight(9, '0')[..9];
            return time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + nanos;
        }

        if (value.Contains('-', StringComparison.Ordinal))
        {
            throw new ArgumentException($"parsing time \"{value}\": cannot parse it as a time or a date");
        }

        var parts = value.Split('.');
        if (parts.Length > 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            || (parts.Length == 2 && !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new ArgumentException($"failed to parse value as time or duration: \"{value}\"");
        }

        return value;
    }
}
