using System.Globalization;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Endpoints;

/// <summary>The <c>t</c> and <c>signal</c> query parameters of stop and restart (moby <c>postContainersStop</c>).</summary>
internal static class StopTimeout
{
    /// <summary>Seconds before SIGKILL; -1 waits for ever; absent (null) leaves it to the container's <c>--stop-timeout</c>.</summary>
    public static TimeSpan? Of(HttpRequest request)
    {
        string text = request.Query["t"].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seconds))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid value for t: \"{text}\": give whole seconds");
        }

        return seconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The signal asked for (API 1.42+); null leaves it to the container's <c>--stop-signal</c>.</summary>
    public static string? SignalOf(HttpRequest request) => request.Query["signal"].ToString() is { Length: > 0 } signal ? signal : null;
}
