using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.SwarmMode;

/// <summary>
/// <c>/secrets</c> and <c>/configs</c> while Berth cannot hold any yet: on a manager the lists are (truly) empty and an
/// id is not found, so what reads them — <c>docker stack deploy/rm</c> of a stack without secrets, <c>docker secret
/// ls</c> — works; making one is refused saying so. Outside a swarm or on a worker, Docker's 503s (<see cref="ISwarm"/>).
/// </summary>
internal sealed class SecretAndConfigEndpoints(ISwarm swarm)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        foreach (var (kind, plural) in new[] { ("secret", "secrets"), ("config", "configs") })
        {
            routes.MapGet($"/{plural}", context => ListAsync(context));
            routes.MapPost($"/{plural}/create", context => RefuseAsync(context, kind));
            routes.MapGet($"/{plural}/{{id}}", context => NotFoundAsync(context, kind));
            routes.MapDelete($"/{plural}/{{id}}", context => NotFoundAsync(context, kind));
            routes.MapPost($"/{plural}/{{id}}/update", context => NotFoundAsync(context, kind));
        }
    }

    /// <summary>Docker's errNoManager (503) outside a swarm and on a worker.</summary>
    private void RequireManager()
    {
        if (!swarm.Local.IsManager)
        {
            throw SwarmErrors.NotManager();
        }
    }

    private async Task ListAsync(HttpContext context)
    {
        RequireManager();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("[]\n", context.RequestAborted);
    }

    private Task RefuseAsync(HttpContext context, string kind)
    {
        RequireManager();
        throw new BerthException(ErrorKind.NotSupported,
            $"{kind}s are not supported by Berth yet: docker {kind} create is not available; give the value to the service another way (an environment variable, a bind mount) for now");
    }

    private Task NotFoundAsync(HttpContext context, string kind)
    {
        RequireManager();
        throw new BerthException(ErrorKind.NotFound, $"{kind} {(string)context.Request.RouteValues["id"]!} not found");
    }
}
