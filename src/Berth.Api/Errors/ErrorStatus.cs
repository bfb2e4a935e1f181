using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Errors;

/// <summary>The one place where error kinds become HTTP statuses (moby <c>errdefs/http_helpers.go</c>).</summary>
public static class ErrorStatus
{
    public static int For(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,

        // moby's ErrNotImplemented: "not implemented on the system as configured".
        ErrorKind.NotSupported => StatusCodes.Status501NotImplemented,
        _ => StatusCodes.Status500InternalServerError,
    };
}
