using Berth.Api.Http;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Api.Errors;

/// <summary>
/// Outermost middleware: every failure becomes <c>{"message": …}</c> with the status of its kind
/// (<see cref="ErrorStatus"/>). A client hanging up is not an error and is not answered.
/// </summary>
internal sealed class ApiErrorMiddleware(ILogger logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (BerthException e)
        {
            int status = ErrorStatus.For(e.Kind);
            ApiLog.RequestFailed(logger, context.Request.Method, context.Request.Path, status, e.Message);
            await WriteAsync(context, status, e.Message, e);
        }
        catch (BadHttpRequestException e)
        {
            ApiLog.RequestFailed(logger, context.Request.Method, context.Request.Path, e.StatusCode, e.Message);
            await WriteAsync(context, e.StatusCode, e.Message, e);
        }
        catch (Exception e)
        {
            ApiLog.RequestCrashed(logger, context.Request.Method, context.Request.Path, e);
            await WriteAsync(context, StatusCodes.Status500InternalServerError, e.Message, e);
        }
    }

    private async Task WriteAsync(HttpContext context, int status, string message, Exception exception)
    {
        if (context.Response.HasStarted)
        {
            ApiLog.FailedAfterStart(logger, context.Request.Method, context.Request.Path, exception);
            context.Abort();
            return;
        }

        // Keep the Docker headers written by the version middleware; drop anything a handler set.
        context.Response.Headers.Remove("Content-Length");
        await DockerJson.WriteErrorAsync(context.Response, status, message);
    }
}
