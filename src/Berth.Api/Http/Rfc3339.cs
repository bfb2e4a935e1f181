using System.Globalization;

namespace Berth.Api.Http;

/// <summary>Go's <c>time.RFC3339Nano</c>: fraction without trailing zeros (none when zero), <c>Z</c> for UTC.</summary>
internal static class Rfc3339
{
    public static string FormatNano(DateTimeOffset time)
    {
        string text = time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return time.Offset == TimeSpan.Zero ? text + "Z" : text + time.ToString("zzz", CultureInfo.InvariantCulture);
    }
}
