using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary><c>docker network connect</c> and <c>disconnect</c>: 200 with an empty body, errors as Docker's.</summary>
internal sealed class NetworkConnectEndpoints(IContainerNetworking networking)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/networks/{id}/connect", ConnectAsync);
        routes.MapPost("/networks/{id}/disconnect", DisconnectAsync);
    }

    private async Task ConnectAsync(HttpContext context)
    {
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.NetworkConnectRequest);
        var config = request.EndpointConfig;
        var endpoint = new EndpointSpec("", config?.IPAMConfig?.IPv4Address, config?.IPAMConfig?.IPv6Address, config?.MacAddress is { Length: > 0 } mac ? mac : null)
        {
            Aliases = [.. config?.Aliases ?? []],
            Links = [.. config?.Links ?? []],
        };
        await networking.ConnectAsync(RouteId(context), ContainerOf(request.Container), endpoint, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task DisconnectAsync(HttpContext context)
    {
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.NetworkDisconnectRequest);
        await networking.DisconnectAsync(RouteId(context), ContainerOf(request.Container), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static string ContainerOf(string? container) =>
        container is { Length: > 0 } c ? c : throw new BerthException(ErrorKind.InvalidArgument, "Container is required: give the container's name or id");

    private static string RouteId(HttpContext context) => context.Request.RouteValues["id"]?.ToString() ?? "";
}
