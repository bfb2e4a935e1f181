using System.Globalization;
using Berth.Core.Errors;

namespace Berth.Api.Http;

/// <summary>
/// Time values in filters such as prune's <c>until</c> (moby <c>api/types/time.GetTimestamp</c>): a Go
/// duration before now (<c>24h</c>, <c>1h30m</c>, <c>90s</c>), a Unix time (<c>1700000000</c>,
/// <c>1700000000.5</c>) or an RFC 3339 date or time (local time when no zone is given).
/// </summary>
internal static class GoTimestamp
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH",
        "yyyy-MM-dd",
    ];

    /// <summary>The last second a <see cref="DateTimeOffset"/> holds (9999-12-31T23:59:59Z), as a Unix time.</summary>
    private const decimal MaxUnixSeconds = 253_402_300_799m;

    public static DateTimeOffset Parse(string value, DateTimeOffset now)
    {
        // moby reads a bare "0" as the Unix epoch, not as a zero duration.
        if (value != "0" && TryParseDuration(value, out TimeSpan duration))
        {
            return duration <= now - DateTimeOffset.MinValue && duration >= now - DateTimeOffset.MaxValue ? now - duration : throw OutOfRange(value);
        }

        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal seconds))
        {
            return seconds <= MaxUnixSeconds ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)) : throw OutOfRange(value);
        }

        if (DateTimeOffset.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out DateTimeOffset time))
        {
            return time;
        }

        throw new BerthException(ErrorKind.InvalidArgument, $"failed to parse value as time or duration: \"{value}\"");
    }

    private static BerthException OutOfRange(string value) =>
        new(ErrorKind.InvalidArgument, $"time \"{value}\" is outside the years 1 to 9999; give a Unix time, an RFC 3339 time or a duration before now");

    /// <summary>Go's <c>time.ParseDuration</c>: signed sequence of decimal numbers with units ns, us, µs, ms, s, m, h.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        ReadOnlySpan<char> rest = text;
        bool negative = false;
        if (rest.Length > 0 && (rest[0] == '-' || rest[0] == '+'))
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }

        if (rest.SequenceEqual("0"))
        {
            return true;
        }

        if (rest.IsEmpty)
        {
            return false;
        }

        decimal ticks = 0;
        while (!rest.IsEmpty)
        {
            int numberLength = 0;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || rest[numberLength] == '.'))
            {
                numberLength++;
            }

            if (numberLength == 0
                || !decimal.TryParse(rest[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
            {
                return false;
            }

            rest = rest[numberLength..];
            int unitLength = 0;
            while (unitLength < rest.Length && !char.IsAsciiDigit(rest[unitLength]) && rest[unitLength] != '.')
            {
                unitLength++;
            }

            decimal? unitTicks = rest[..unitLength] switch
            {
                "ns" => 0.01m,
                "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (unitTicks is null)
            {
                return false;
            }

            ticks += number * unitTicks.Value;
            rest = rest[unitLength..];
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }
}
