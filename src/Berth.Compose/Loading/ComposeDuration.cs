using System.Globalization;
using System.Text;

namespace Berth.Compose.Loading;

/// <summary>Durations as Compose writes them (Go's <c>time.ParseDuration</c>): <c>1m30s</c>, <c>10s</c>, <c>500ms</c>, <c>1.5h</c>.</summary>
public static class ComposeDuration
{
    private static readonly (string Unit, long Ticks)[] Units =
    [
        ("ns", 0), ("us", TimeSpan.TicksPerMicrosecond), ("µs", TimeSpan.TicksPerMicrosecond), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0")
        {
            return true;
        }

        var i = 0;
        decimal ticks = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (i == start || !decimal.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.')
            {
                i++;
            }

            var unit = text[unitStart..i];
            var match = Array.FindIndex(Units, u => u.Unit == unit);
            if (match < 0)
            {
                return false;
            }

            // Nanoseconds are below a tick (100 ns): they round to ticks.
            ticks += match == 0 ? number / 100 : number * Units[match].Ticks;
        }

        if (text.Length == 0 || ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>Go's <c>Duration.String</c>: <c>1m30s</c>, <c>5s</c>, <c>1h0m0s</c>, <c>500ms</c>, <c>1.5s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            return duration.Ticks >= TimeSpan.TicksPerMillisecond
                ? ((decimal)duration.Ticks / TimeSpan.TicksPerMillisecond).ToString("0.####", CultureInfo.InvariantCulture) + "ms"
                : ((decimal)duration.Ticks / TimeSpan.TicksPerMicrosecond).ToString("0.#", CultureInfo.InvariantCulture) + "µs";
        }

        var text = new StringBuilder();
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            text.Append(hours).Append('h');
        }

        if (hours > 0 || duration.Minutes > 0)
        {
            text.Append(duration.Minutes).Append('m');
        }

        var seconds = (decimal)(duration.Ticks % TimeSpan.TicksPerMinute) / TimeSpan.TicksPerSecond;
        text.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }
}
