using System.Globalization;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Go's <c>time.ParseDuration</c> syntax, which HEALTHCHECK flags use: a sequence of decimal numbers each with a
/// unit (<c>ns us µs ms s m h</c>), optionally signed, e.g. <c>1m30s</c>, <c>1.5h</c>; a bare <c>0</c> is allowed.
/// Errors read like Go's (<c>time: invalid duration "x"</c>).
/// </summary>
internal static class GoDuration
{
    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m), ("us", 1_000m), ("µs", 1_000m), ("μs", 1_000m), ("ms", 1_000_000m),
        ("s", 1_000_000_000m), ("m", 60_000_000_000m), ("h", 3_600_000_000_000m),
    ];

    // Go's Duration is an int64 of nanoseconds; larger values are "invalid duration".
    private const decimal MaxNanoseconds = long.MaxValue;

    public static TimeSpan Parse(string text)
    {
        var quoted = GoFormat.Quote(text);
        var rest = text.AsSpan();
        var negative = false;
        if (rest.Length > 0 && rest[0] is '-' or '+')
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }
        if (rest is "0")
        {
            return TimeSpan.Zero;
        }
        if (rest.Length == 0)
        {
            throw Invalid(quoted);
        }
        decimal total = 0;
        while (rest.Length > 0)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }
            var number = rest[..digits];
            if (number.Length == 0 || number is "." || number.Count('.') > 1
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                throw Invalid(quoted);
            }
            rest = rest[digits..];
            var unitLength = 0;
            while (unitLength < rest.Length && rest[unitLength] != '.' && !char.IsAsciiDigit(rest[unitLength]))
            {
                unitLength++;
            }
            if (unitLength == 0)
            {
                throw new DockerfileException($"time: missing unit in duration {quoted}");
            }
            var unit = rest[..unitLength].ToString();
            rest = rest[unitLength..];
            var scale = Array.Find(Units, u => u.Unit == unit).Nanoseconds;
            if (scale == 0)
            {
                throw new DockerfileException($"time: unknown unit {GoFormat.Quote(unit)} in duration {quoted}");
            }
            if (value > (MaxNanoseconds - total) / scale)
            {
                throw Invalid(quoted);
            }
            total += value * scale;
        }
        var ticks = (long)decimal.Truncate(total / 100);
        return TimeSpan.FromTicks(negative ? -ticks : ticks);
    }

    private static DockerfileException Invalid(string quoted) => new($"time: invalid duration {quoted}");
}
