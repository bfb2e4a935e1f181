using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Api.Images;
using Berth.Api.Versioning;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Berth.Runtime.Images;
using ImageSummary = Berth.Api.Contracts.ImageSummary;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using ContainerStatus = Berth.Runtime.Engine.ContainerStatus;

namespace Berth.Api.Endpoints;

/// <summary>
/// The <c>/images</c> and <c>/distribution</c> routes: list, inspect, history, tag, remove and prune here; import, pull,
/// load and save in <c>ImageEndpoints.Transfer.cs</c>. Image names may hold slashes (<c>127.0.0.1:5000/bb:latest</c>), so
/// the per-image routes take the rest of the path and split off the action at its end, as moby's <c>{name:.*}</c> does.
/// <paramref name="containers"/> (absent in tests without a runtime) says which containers use an image.
/// </summary>
internal sealed partial class ImageEndpoints(ImageStore images, IContainerQueries? containers, TimeProvider time, EventHub? hub = null)
{
    private readonly ImageEventLog _events = new(images, hub);

    private const string RestRouteValue = "rest";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/images/create", CreateAsync);
        routes.MapPost("/images/load", LoadAsync);
        routes.MapPost("/images/prune", PruneAsync);
        routes.MapGet("/images/json", ListAsync);
        routes.MapGet("/images/get", SaveAsync);
        routes.MapGet("/images/{**rest}", GetByNameAsync);
        routes.MapPost("/images/{**rest}", PostByNameAsync);
        routes.MapDelete("/images/{**rest}", DeleteAsync);
        routes.MapGet("/distribution/{**rest}", DistributionAsync);
        routes.MapPost("/auth", LoginAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        _ = QueryBool.Get(context.Request, "all"); // Berth has no intermediate images to hide.
        var filter = ImageListFilter.Create(FilterArgs.Parse(context.Request.Query["filters"]), images);
        var version = Version(context);
        var list = new List<ImageSummary>();
        foreach (var image in images.ListDetails())
        {
            if (filter.Select(image) is { } tags)
            {
                list.Add(ImageResponseMapper.ToSummary(image, tags, version));
            }
        }

        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, list, DockerJson.Context.ListImageSummary);
    }

    private Task GetByNameAsync(HttpContext context)
    {
        var (name, action) = Split(context);
        return action switch
        {
            "json" => DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, ImageResponseMapper.ToInspect(images.Inspect(name), Version(context)), DockerJson.Context.ImageInspect),
            "history" => DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, images.History(name).Select(ImageResponseMapper.ToHistory).ToList(), DockerJson.Context.ListImageHistoryItem),
            "get" => SaveImagesAsync(context, [name]),
            _ => throw NoRoute(context),
        };
    }

    private async Task PostByNameAsync(HttpContext context)
    {
        var (name, action) = Split(context);
        switch (action)
        {
            case "tag":
                await TagAsync(context, name);
                break;
            case "push":
                throw new BerthException(ErrorKind.NotSupported, $"pushing {name} is not supported by Berth yet; use docker save and load, or push with another tool");
            default:
                throw NoRoute(context);
        }
    }

    /// <summary>
    /// <c>docker tag</c> sends <c>repo</c> normalised (<c>docker.io/library/bb</c>) and <c>tag</c> separately; both forms mean
    /// the familiar <c>bb</c>. 201 with no body.
    /// </summary>
    private async Task TagAsync(HttpContext context, string source)
    {
        string repo = context.Request.Query["repo"].ToString();
        string tag = context.Request.Query["tag"].ToString();
        if (repo.Length == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "repository name must have at least one component: give ?repo=NAME[&tag=TAG]");
        }

        if (repo.Contains('@', StringComparison.Ordinal) || (repo.Contains(':', StringComparison.Ordinal) && !ImageReference.TryParse(repo, out _, out _)))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"refusing to create a tag with a digest reference or invalid name \"{repo}\"");
        }

        string target = tag.Length == 0 ? repo : $"{repo}:{tag}";
        await images.TagAsync(source, target, context.RequestAborted);
        _events.Tagged(target);
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    /// <summary><c>docker rmi</c>: <c>[{"Untagged":…},{"Deleted":…}]</c>; 409 when a container uses the image unless forced.</summary>
    private async Task DeleteAsync(HttpContext context)
    {
        string name = RestOf(context);
        bool force = QueryBool.Get(context.Request, "force");
        _ = QueryBool.Get(context.Request, "noprune"); // Berth images have no parent chain to keep.
        var imageIds = _events.ImageIds();
        string? imageId = _events.IdOf(name);
        var results = await images.RemoveAsync(name, force, UsersOf, context.RequestAborted);
        _events.Removed(imageIds, results, imageId);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, results.Select(ToItem).ToList(), DockerJson.Context.ListImageDeleteResponseItem);
    }

    private async Task PruneAsync(HttpContext context)
    {
        var filter = ImagePruneFilter.Create(FilterArgs.Parse(context.Request.Query["filters"]), time.GetUtcNow());
        var imageIds = _events.ImageIds();
        var result = await images.PruneAsync(filter.DanglingOnly, filter.Matches, UsersOf, context.RequestAborted);
        _events.Pruned(imageIds, result);
        var response = new ImagePruneResponse
        {
            ImagesDeleted = result.Deleted.Count == 0 ? null : [.. result.Deleted.Select(ToItem)],
            SpaceReclaimed = result.SpaceReclaimed,
        };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, response, DockerJson.Context.ImagePruneResponse);
    }

    /// <summary><c>GET /distribution/{name}/json</c>: the registry's answer, or its failure as a 4xx/5xx with the reason.</summary>
    private async Task DistributionAsync(HttpContext context)
    {
        string rest = RestOf(context);
        if (!rest.EndsWith("/json", StringComparison.Ordinal))
        {
            throw NoRoute(context);
        }

        var info = await images.InspectDistributionAsync(rest[..^"/json".Length], RegistryCredentialsOf(context), context.RequestAborted);
        var response = new DistributionInspect
        {
            Descriptor = new DistributionDescriptor { MediaType = info.Descriptor.MediaType ?? "", Digest = info.Descriptor.Digest, Size = info.Descriptor.Size },
            Platforms = [.. info.Platforms.Select(p => new DistributionPlatform { Architecture = p.Architecture, Os = p.Os, Variant = p.Variant })],
        };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, response, DockerJson.Context.DistributionInspect);
    }

    private IReadOnlyList<ImageUser> UsersOf(string imageId) =>
        containers is null
            ? []
            : [.. containers.List().Where(c => c.ImageId == imageId).Select(c => new ImageUser(c.Id.Value, c.Status == ContainerStatus.Running))];

    private static ImageDeleteResponseItem ToItem(ImageDeleteResult result) => new() { Untagged = result.Untagged, Deleted = result.Deleted };

    private static ApiVersion Version(HttpContext context) => context.Features.GetRequiredFeature<RequestedApiVersion>().Version;

    /// <summary>"bb:latest/json" → ("bb:latest", "json"); the action is the last path segment.</summary>
    private static (string Name, string Action) Split(HttpContext context)
    {
        string rest = RestOf(context);
        int slash = rest.LastIndexOf('/');
        return slash <= 0 ? (rest, "") : (rest[..slash], rest[(slash + 1)..]);
    }

    /// <summary>The path after <c>/images/</c>; Kestrel leaves an escaped slash (<c>%2F</c>) escaped, image names never hold a <c>%</c>.</summary>
    private static string RestOf(HttpContext context) => Uri.UnescapeDataString(context.GetRouteValue(RestRouteValue)?.ToString() ?? "");

    private static BerthException NoRoute(HttpContext context) =>
        new(ErrorKind.NotFound, $"page not found: {context.Request.Method} {context.Request.Path}");
}
