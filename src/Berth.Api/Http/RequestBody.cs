using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Api.Http;

/// <summary>Request bodies that are archives (images, <c>docker cp</c> trees): as big as what they carry.</summary>
internal static class RequestBody
{
    /// <summary>Lifts Kestrel's 30 MB default body limit for this request; the body is streamed, never held whole.</summary>
    public static void Unlimited(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
    }
}
