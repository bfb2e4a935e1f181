using System.Globalization;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Http;

/// <summary>
/// The <c>version</c> query of a swarm object's update (<c>?version=N</c>, the <c>Version.Index</c> the client read):
/// missing or malformed is moby's 400 before anything else, with Go's <c>strconv.ParseUint</c> error.
/// </summary>
internal static class SwarmObjectVersion
{
    /// <param name="kind">The word moby puts in the message: <c>swarm</c>, <c>service</c>.</param>
    public static long Parse(HttpRequest request, string kind)
    {
        string raw = request.Query["version"].ToString();
        if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out long version))
        {
            return version;
        }

        string reason = raw.Length > 0 && raw.All(char.IsAsciiDigit) ? "value out of range" : "invalid syntax";
        throw new BerthException(ErrorKind.InvalidArgument, $"invalid {kind} version '{raw}': strconv.ParseUint: parsing \"{raw}\": {reason}");
    }
}
