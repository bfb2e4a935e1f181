namespace Berth.Api.Versioning;

/// <summary>The API version a request was made at (its <c>/v1.NN</c> prefix, or the maximum); an HttpContext feature.</summary>
internal sealed class RequestedApiVersion(ApiVersion version)
{
    public ApiVersion Version { get; } = version;
}
