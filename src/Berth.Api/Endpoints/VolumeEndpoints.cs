using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Api.Versioning;
using Berth.Api.Volumes;
using Berth.Runtime.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>The <c>/volumes</c> routes (Docker's local driver): create, list, inspect, remove (refused while in use), prune.</summary>
internal sealed class VolumeEndpoints(IContainerVolumes volumes, EventHub? hub = null)
{
    private const string NameRouteValue = "name";

    /// <summary>From 1.42 <c>volume prune</c> removes only anonymous volumes unless <c>all=true</c>.</summary>
    private static readonly ApiVersion PruneAnonymousOnly = new(1, 42);

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/volumes/create", CreateAsync);
        routes.MapPost("/volumes/prune", PruneAsync);
        routes.MapGet("/volumes", List);
        routes.MapGet("/volumes/{name}", Inspect);
        routes.MapDelete("/volumes/{name}", DeleteAsync);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.VolumeCreateRequest);
        var volume = await volumes.Volumes.CreateAsync(request.Name, request.Driver, request.DriverOpts, request.Labels, context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status201Created, VolumeResponseMapper.ToVolume(volume, volumes.Volumes), DockerJson.Context.Volume);
    }

    private Task List(HttpContext context)
    {
        var filter = VolumeListFilter.Create(FilterArgs.Parse(context.Request.Query["filters"]));
        var response = new VolumeListResponse
        {
            Volumes = [.. volumes.Volumes.List()
                .Where(v => filter.Matches(v, name => volumes.ContainersUsingVolume(name).Count > 0))
                .Select(v => VolumeResponseMapper.ToVolume(v, volumes.Volumes))],
        };
        return DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, response, DockerJson.Context.VolumeListResponse);
    }

    private Task Inspect(HttpContext context)
    {
        var volume = volumes.Volumes.Get(RouteName(context));
        return DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, VolumeResponseMapper.ToVolume(volume, volumes.Volumes), DockerJson.Context.Volume);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        await volumes.RemoveVolumeAsync(RouteName(context), QueryBool.Get(context.Request, "force"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task PruneAsync(HttpContext context)
    {
        ApiVersion version = context.Features.GetRequiredFeature<RequestedApiVersion>().Version;
        var filter = VolumePruneFilter.Create(FilterArgs.Parse(context.Request.Query["filters"]), allByDefault: version < PruneAnonymousOnly);
        var (deleted, reclaimed) = await volumes.PruneVolumesAsync(filter.Matches, context.RequestAborted);
        if (hub is not null)
        {
            new ContainerEvents(hub).Prune("volume", reclaimed);
        }

        var response = new VolumePruneResponse { VolumesDeleted = [.. deleted], SpaceReclaimed = (ulong)reclaimed };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, response, DockerJson.Context.VolumePruneResponse);
    }

    private static string RouteName(HttpContext context) => context.GetRouteValue(NameRouteValue)?.ToString() ?? "";
}
