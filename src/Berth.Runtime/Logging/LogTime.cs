using System.Globalization;

namespace Berth.Runtime.Logging;

/// <summary>Times of log records as Docker writes them.</summary>
public static class LogTime
{
    private const long NanosPerSecond = 1_000_000_000;
    private const long NanosPerTick = 100;
    private const int NanoDigits = 9;

    /// <summary>The most <see cref="FormatRfc3339Nano"/> writes: <c>2006-01-02T15:04:05.999999999Z</c>.</summary>
    public const int MaxRfc3339NanoBytes = 30;

    /// <summary>
    /// Go's <c>time.RFC3339Nano</c> in UTC: seconds, then the fraction without its trailing zeros (none at all on a whole
    /// second), then <c>Z</c>. Returns the bytes written.
    /// </summary>
    public static int FormatRfc3339Nano(long unixNanos, Span<byte> output)
    {
        long seconds = Math.DivRem(unixNanos, NanosPerSecond, out long fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += NanosPerSecond;
        }

        var time = DateTime.UnixEpoch.AddTicks(seconds * (NanosPerSecond / NanosPerTick));
        time.TryFormat(output, out int n, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        if (fraction != 0)
        {
            output[n++] = (byte)'.';
            int digits = NanoDigits;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            for (int i = digits - 1; i >= 0; i--)
            {
                output[n + i] = (byte)('0' + (fraction % 10));
                fraction /= 10;
            }

            n += digits;
        }

        output[n++] = (byte)'Z';
        return n;
    }
}
