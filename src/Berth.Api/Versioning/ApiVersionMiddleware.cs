using Berth.Api.Errors;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Versioning;

/// <summary>
/// Runs before routing: writes the headers every Docker reply carries, strips an optional
/// <c>/v1.NN</c> prefix and refuses versions outside [minimum, maximum]
/// with moby's wording. The headers go out first so that even a refused client learns the server's version.
/// </summary>
internal sealed class ApiVersionMiddleware(string serverHeader, ApiVersion maximum, ApiVersion minimum)
{
    private const string VersionPrefix = "/v";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers["Api-Version"] = maximum.ToString();
        headers["Ostype"] = "linux";
        headers["Docker-Experimental"] = "false";
        headers.Server = serverHeader;

        ApiVersion version = maximum;
        if (TrySplitVersion(context.Request.Path, out string? versionText, out PathString rest))
        {
            if (!ApiVersion.TryParse(versionText, out version))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"invalid API version \"{versionText}\"");
            }

            if (version > maximum)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"client version {versionText} is too new. Maximum supported API version is {maximum}");
            }

            if (version < minimum)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"client version {versionText} is too old. Minimum supported API version is {minimum}, please upgrade your client to a newer version");
            }

            context.Request.PathBase = context.Request.PathBase.Add(context.Request.Path.Value![..^rest.Value!.Length]);
            context.Request.Path = rest;
        }

        context.Features.Set(new RequestedApiVersion(version));
        return next(context);
    }

    /// <summary>Splits <c>/v1.45/networks</c> into <c>1.45</c> and <c>/networks</c>; moby's route template is <c>/v{version:[0-9.]+}/…</c>.</summary>
    internal static bool TrySplitVersion(PathString path, out string? version, out PathString rest)
    {
        version = null;
        rest = default;
        string? value = path.Value;
        if (value is null || !value.StartsWith(VersionPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        int end = VersionPrefix.Length;
        while (end < value.Length && (char.IsAsciiDigit(value[end]) || value[end] == '.'))
        {
            end++;
        }

        if (end == VersionPrefix.Length || end == value.Length || value[end] != '/')
        {
            return false;
        }

        version = value[VersionPrefix.Length..end];
        rest = new PathString(value[end..]);
        return true;
    }
}
