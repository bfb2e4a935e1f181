using Berth.Api.Errors;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Endpoints.Unserved;

/// <summary>
/// One of Docker's routes that Berth does not serve, and what it answers instead: <see cref="Status"/> is what a
/// request that reaches <see cref="Answer"/> gets (errors as Docker's <c>{"message": …}</c>).
/// </summary>
internal sealed record UnservedRoute(string Method, string Pattern, int Status, RequestDelegate Answer)
{
    /// <summary>An error of <paramref name="kind"/> with a fixed message.</summary>
    public static UnservedRoute Refuse(string method, string pattern, ErrorKind kind, string message) =>
        new(method, pattern, ErrorStatus.For(kind), _ => throw new BerthException(kind, message));

    /// <summary>An error of <paramref name="kind"/> whose message names what the request asked for.</summary>
    public static UnservedRoute Refuse(string method, string pattern, ErrorKind kind, Func<HttpContext, string> message) =>
        new(method, pattern, ErrorStatus.For(kind), context => throw new BerthException(kind, message(context)));

    /// <summary>
    /// A feature Berth lacks: 501, moby's status for "not implemented on the system as configured", with a
    /// message naming the route and what to do instead.
    /// </summary>
    public static UnservedRoute NotYet(string method, string pattern, string feature, string advice) =>
        Refuse(method, pattern, ErrorKind.NotSupported, $"{feature} is not supported by Berth yet ({method} {pattern}); {advice}");

    public override string ToString() => $"{Method} {Pattern}";
}
