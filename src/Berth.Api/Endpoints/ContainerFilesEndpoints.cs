using Berth.Api.Containers;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>
/// A container's files (moby <c>api/server/router/container/copy.go</c> and <c>container_routes.go</c>): <c>docker cp</c>
/// (<c>HEAD</c>/<c>GET</c>/<c>PUT /containers/{id}/archive</c>, with the path stat header), <c>docker diff</c>
/// (<c>/changes</c>), <c>docker export</c> and <c>docker commit</c>. Archives stream both ways; nothing is buffered whole.
/// </summary>
internal sealed class ContainerFilesEndpoints(IContainerFiles files)
{
    private const string TarContentType = "application/x-tar";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/containers/{id}/archive", [HttpMethods.Head], StatAsync);
        routes.MapGet("/containers/{id}/archive", ArchiveAsync);
        routes.MapPut("/containers/{id}/archive", ExtractAsync);
        routes.MapGet("/containers/{id}/changes", ChangesAsync);
        routes.MapGet("/containers/{id}/export", ExportAsync);
        routes.MapPost("/commit", CommitAsync);
    }

    /// <summary>moby <c>ArchiveFormValues</c>: the path is required.</summary>
    private static string PathOf(HttpContext context)
    {
        string path = context.Request.Query["path"].ToString();
        return path.Length > 0 ? path : throw new BerthException(ErrorKind.InvalidArgument, "bad parameter: path cannot be empty");
    }

    private async Task StatAsync(HttpContext context)
    {
        var stat = await files.StatAsync(RouteId(context), PathOf(context), context.RequestAborted);
        context.Response.Headers[PathStatHeader.Name] = PathStatHeader.Encode(stat);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task ArchiveAsync(HttpContext context)
    {
        var archive = await files.ArchiveAsync(RouteId(context), PathOf(context), context.RequestAborted);
        await using (archive)
        {
            context.Response.Headers[PathStatHeader.Name] = PathStatHeader.Encode(archive.Stat!);
            await StreamAsync(context, archive);
        }
    }

    private async Task ExtractAsync(HttpContext context)
    {
        RequestBody.Unlimited(context);
        await files.ExtractAsync(RouteId(context), PathOf(context), context.Request.Body,
            noOverwriteDirNonDir: QueryBool.Get(context.Request, "noOverwriteDirNonDir"),
            copyUidGid: QueryBool.Get(context.Request, "copyUIDGID"),
            context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task ChangesAsync(HttpContext context)
    {
        var changes = await files.ChangesAsync(RouteId(context), context.RequestAborted);
        var items = changes.Select(c => new ContainerChangeItem { Path = c.Path, Kind = (int)c.Kind }).ToList();
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, items, DockerJson.Context.ListContainerChangeItem);
    }

    private async Task ExportAsync(HttpContext context)
    {
        var archive = await files.ExportAsync(RouteId(context), context.RequestAborted);
        await using (archive)
        {
            await StreamAsync(context, archive);
        }
    }

    /// <summary>
    /// <c>POST /commit?container=&amp;repo=&amp;tag=&amp;comment=&amp;author=&amp;pause=&amp;changes=</c> → 201 <c>{"Id"}</c>.
    /// The reference is <c>repo:tag</c> (no repo: an untagged image); <c>changes</c> may repeat.
    /// </summary>
    private async Task CommitAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string repo = query["repo"].ToString();
        string tag = query["tag"].ToString();
        if (repo.Length == 0 && tag.Length > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "refusing to create a tag with no repository name: give repo with tag");
        }

        var spec = new ContainerCommitSpec
        {
            Reference = repo.Length == 0 ? null : tag.Length == 0 ? repo : repo + ":" + tag,
            Comment = query["comment"].ToString(),
            Author = query["author"].ToString(),
            Pause = !query.ContainsKey("pause") || QueryBool.Get(context.Request, "pause"),
            Changes = [.. query["changes"].Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c!)],
        };
        string id = await files.CommitAsync(query["container"].ToString(), spec, context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status201Created, new IdResponse { Id = id }, DockerJson.Context.IdResponse);
    }

    /// <summary>The tar goes out chunked as it is made; the client's hang-up ends the walk.</summary>
    private static async Task StreamAsync(HttpContext context, IContainerArchive archive)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = TarContentType;
        await context.Response.StartAsync(context.RequestAborted);
        await archive.WriteToAsync(context.Response.Body, context.RequestAborted);
    }

    private static string RouteId(HttpContext context) => context.GetRouteValue("id")?.ToString() ?? "";
}
