using System.Globalization;

namespace Berth.Cli.Formatting;

/// <summary>
/// docker/go-units and the CLI's small text helpers, as docker's tables print them: sizes in decimal units with Go's
/// <c>%.*g</c> (<c>1.23MB</c>, <c>1e+03kB</c>), durations in words (<c>About a minute</c>), short ids.
/// </summary>
public static class GoUnits
{
    /// <summary>Characters of an id in docker's short form.</summary>
    public const int ShortIdLength = 12;

    private const double BinaryBase = 1024;
    private const int BytesSizePrecision = 4;

    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    private static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

    /// <summary><c>units.HumanSizeWithPrecision</c>: <c>docker images</c> and <c>history</c> use precision 3.</summary>
    public static string HumanSize(double size, int precision = 4)
    {
        var unit = 0;
        while (size >= 1000 && unit < DecimalUnits.Length - 1)
        {
            size /= 1000;
            unit++;
        }

        return FormatG(size, precision) + DecimalUnits[unit];
    }

    /// <summary><c>units.BytesSize</c>: binary units with <c>%.4g</c> (<c>1.2MiB</c>, <c>7.629GiB</c>, <c>648B</c>), as <c>docker stats</c> shows memory.</summary>
    public static string BytesSize(double size)
    {
        var unit = 0;
        while (size >= BinaryBase && unit < BinaryUnits.Length - 1)
        {
            size /= BinaryBase;
            unit++;
        }

        return FormatG(size, BytesSizePrecision) + BinaryUnits[unit];
    }

    /// <summary>Go's <c>%.{precision}g</c>: shortest form, exponent (at least two digits) once it reaches the precision.</summary>
    public static string FormatG(double value, int precision)
    {
        var text = value.ToString("G" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text.Replace("E", "e", StringComparison.Ordinal);
    }

    /// <summary><c>units.HumanDuration</c>.</summary>
    public static string HumanDuration(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        if (seconds < 1)
        {
            return "Less than a second";
        }

        if (seconds == 1)
        {
            return "1 second";
        }

        if (seconds < 60)
        {
            return $"{seconds} seconds";
        }

        var minutes = (long)duration.TotalMinutes;
        if (minutes == 1)
        {
            return "About a minute";
        }

        if (minutes < 60)
        {
            return $"{minutes} minutes";
        }

        var hours = (long)(duration.TotalHours + 0.5);
        return hours switch
        {
            1 => "About an hour",
            < 48 => $"{hours} hours",
            < 24 * 7 * 2 => $"{hours / 24} days",
            < 24 * 30 * 2 => $"{hours / 24 / 7} weeks",
            < 24 * 365 * 2 => $"{hours / 24 / 30} months",
            _ => $"{(long)duration.TotalHours / 24 / 365} years",
        };
    }

    /// <summary><c>stringid.TruncateID</c>: drops an algorithm prefix (<c>sha256:</c>) and keeps 12 characters.</summary>
    public static string TruncateId(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            id = id[(colon + 1)..];
        }

        return id.Length > ShortIdLength ? id[..ShortIdLength] : id;
    }

    /// <summary><c>formatter.Ellipsis</c>: at most <paramref name="maxWidth"/> characters, the last one <c>…</c> when cut.</summary>
    public static string Ellipsis(string text, int maxWidth) =>
        text.Length <= maxWidth ? text : text[..(maxWidth - 1)] + "…";

    /// <summary>Go's <c>time.Unix(seconds, 0).String()</c> in this machine's zone, as RFC 3339 for <see cref="Templates.GoTime"/>.</summary>
    public static string UnixToRfc3339(long seconds, bool utcAsZ = true)
    {
        var local = DateTimeOffset.FromUnixTimeSeconds(seconds).ToLocalTime();
        return local.Offset == TimeSpan.Zero && utcAsZ
            ? local.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }
}
