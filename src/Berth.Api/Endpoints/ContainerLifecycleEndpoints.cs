using Berth.Api.Containers;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>Container lifecycle routes beyond create/start/stop: <c>docker restart</c>, <c>docker rename</c>, <c>docker container prune</c> and <c>docker rm --link</c>.</summary>
internal sealed class ContainerLifecycleEndpoints(IContainerLifecycle lifecycle, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/containers/{id}/restart", RestartAsync);
        routes.MapPost("/containers/{id}/rename", RenameAsync);
        routes.MapPost("/containers/prune", PruneAsync);

        // A link's name has a slash in it (DELETE /containers//parent/alias?link=1), which {id} never matches.
        routes.MapDelete("/containers/{**link}", RemoveLinkAsync);
    }

    /// <summary><c>POST /containers/prune?filters=</c> → <c>{"ContainersDeleted":[…]|null,"SpaceReclaimed":N}</c>.</summary>
    private async Task PruneAsync(HttpContext context)
    {
        var filter = ContainerPruneFilter.Create(FilterArgs.Parse(context.Request.Query["filters"]), time.GetUtcNow());
        var result = await lifecycle.PruneAsync(filter.Matches, context.RequestAborted);
        var response = new ContainerPruneResponse { ContainersDeleted = result.Deleted.Count == 0 ? null : [.. result.Deleted], SpaceReclaimed = result.SpaceReclaimed };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, response, DockerJson.Context.ContainerPruneResponse);
    }

    /// <summary><c>DELETE /containers/{parent}/{alias}?link=1</c> (moby <c>rmLink</c>); without <c>link</c> such a name is no container.</summary>
    private async Task RemoveLinkAsync(HttpContext context)
    {
        string name = context.GetRouteValue("link")?.ToString() ?? "";
        if (!QueryBool.Get(context.Request, "link"))
        {
            throw new BerthException(ErrorKind.NotFound, $"No such container: {name}");
        }

        await lifecycle.RemoveLinkAsync(name, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
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
