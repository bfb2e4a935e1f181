using System.Globalization;

namespace Berth.Cli.Formatting;

/// <summary>Go's <c>time.ParseDuration</c> (<c>1h30m</c>, <c>1.5s</c>, <c>300ms</c>), which docker's duration flags use.</summary>
public static class GoDuration
{
    private static readonly (string Unit, double Nanoseconds)[] Units =
        [("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)];

    public static bool TryParse(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        var s = text;
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s == "0")
        {
            return true;
        }

        if (s.Length == 0)
        {
            return false;
        }

        double total = 0;
        while (s.Length > 0)
        {
            var numberEnd = 0;
            while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
            {
                numberEnd++;
            }

            if (numberEnd == 0 || !double.TryParse(s[..numberEnd], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            s = s[numberEnd..];
            var unit = Units.Where(u => s.StartsWith(u.Unit, StringComparison.Ordinal)).OrderByDescending(u => u.Unit.Length).FirstOrDefault();
            if (unit.Unit is null)
            {
                return false;
            }

            total += value * unit.Nanoseconds;
            s = s[unit.Unit.Length..];
        }

        nanoseconds = (long)Math.Round(negative ? -total : total);
        return true;
    }
}
