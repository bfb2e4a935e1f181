using Berth.Runtime.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>Container lifecycle routes beyond create/start/stop: <c>docker restart</c> and <c>docker rename</c>.</summary>
internal sealed class ContainerLifecycleEndpoints(IContainerLifecycle lifecycle)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/containers/{id}/restart", RestartAsync);
        routes.MapPost("/containers/{id}/rename", RenameAsync);
    }

    /// <summary><c>POST /containers/{id}/restart?t=N&amp;signal=S</c>: stop (the stop signal, SIGKILL after N s), then start; 204.</summary>
    private async Task RestartAsync(HttpContext context)
    {
        await lifecycle.RestartAsync(RouteId(context), StopTimeout.Of(context.Request), StopTimeout.SignalOf(context.Request), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary><c>POST /containers/{id}/rename?name=new</c>: 204.</summary>
    private async Task RenameAsync(HttpContext context)
    {
        await lifecycle.RenameAsync(RouteId(context), context.Request.Query["name"].ToString(), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static string RouteId(HttpContext context) => context.Request.RouteValues["id"]?.ToString() ?? "";
}
