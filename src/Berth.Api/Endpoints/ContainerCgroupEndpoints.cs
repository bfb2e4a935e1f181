using System.Buffers;
using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
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
/// The routes of the container's cgroup: <c>docker pause/unpause</c> (204), <c>docker update</c> (200
/// <c>{"Warnings":[]}</c>), <c>docker top</c> (<c>{Titles, Processes}</c>) and <c>docker stats</c> (one JSON object
/// per line, once a second while <c>stream</c>, until the client leaves).
/// </summary>
internal sealed class ContainerCgroupEndpoints(IContainerCgroups cgroups)
{
    /// <summary>Docker's stats period (moby's stats collector interval).</summary>
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    private static readonly JsonWriterOptions StatsWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/containers/{id}/pause", PauseAsync);
        routes.MapPost("/containers/{id}/unpause", UnpauseAsync);
        routes.MapPost("/containers/{id}/update", UpdateAsync);
        routes.MapGet("/containers/{id}/top", TopAsync);
        routes.MapGet("/containers/{id}/stats", StatsAsync);
    }

    private async Task PauseAsync(HttpContext context)
    {
        await cgroups.PauseAsync(RouteId(context), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task UnpauseAsync(HttpContext context)
    {
        await cgroups.UnpauseAsync(RouteId(context), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>The body is Docker's <c>UpdateConfig</c>: HostConfig's resource fields and <c>RestartPolicy</c>.</summary>
    private async Task UpdateAsync(HttpContext context)
    {
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.ContainerHostConfig);
        var version = context.Features.Get<Versioning.RequestedApiVersion>()?.Version ?? Versioning.ApiVersion.Maximum;
        var resources = ContainerResourceView.FromRequest(request) with
        {
            // Both 0 and -1 (any negative, historically) ask for "unlimited" in an update (moby postContainerUpdate).
            PidsLimit = request.PidsLimit is { } pids ? Math.Max(pids, 0) : null,
        };
        var policy = request.RestartPolicy is { Name: { Length: > 0 } name } requested
            ? RestartPolicy.Validate(name, requested.MaximumRetryCount, autoRemove: false)
            : null;
        var warnings = await cgroups.UpdateAsync(RouteId(context), new ContainerUpdate(resources, policy), context.RequestAborted);
        var response = new ContainerUpdateResponse { Warnings = [.. ContainerResourceView.KernelMemoryWarnings(request, version), .. warnings] };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, response, DockerJson.Context.ContainerUpdateResponse);
    }

    private async Task TopAsync(HttpContext context)
    {
        var (titles, processes) = await cgroups.TopAsync(RouteId(context), context.Request.Query["ps_args"].ToString(), context.RequestAborted);
        var response = new ContainerTopResponse { Titles = [.. titles], Processes = [.. processes.Select(p => p.ToList())] };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, response, DockerJson.Context.ContainerTopResponse);
    }

    /// <summary>
    /// moby's ContainerStats: <c>stream</c> (default true) samples once a second, each with the previous one's CPU as
    /// precpu; without it one sample, primed by a first one a second before so precpu is filled, unless <c>one-shot</c>.
    /// A container that does not run gives Docker's zero sample (name and id only).
    /// </summary>
    private async Task StatsAsync(HttpContext context)
    {
        bool stream = !context.Request.Query.ContainsKey("stream") || QueryBool.Get(context.Request, "stream");
        bool oneShot = QueryBool.Get(context.Request, "one-shot");
        if (stream && oneShot)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "cannot have stream=true and one-shot=true");
        }

        var cancellationToken = context.RequestAborted;
        using var sampler = cgroups.OpenStats(RouteId(context));
        var first = sampler.Sample();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = DockerJson.ContentType;
        await context.Response.StartAsync(cancellationToken);
        using var writer = new Utf8JsonWriter(context.Response.BodyWriter, StatsWriterOptions);
        if (!stream)
        {
            var sample = first;
            ContainerStatsSample? previous = null;
            if (!oneShot && first.Cgroup is not null)
            {
                await Task.Delay(StatsInterval, cancellationToken);
                previous = first;
                sample = sampler.Sample();
            }

            await WriteSampleAsync(context, writer, sample, previous, cancellationToken);
            return;
        }

        using var timer = new PeriodicTimer(StatsInterval);
        ContainerStatsSample? before = null;
        var current = first;
        try
        {
            while (true)
            {
                await WriteSampleAsync(context, writer, current, before, cancellationToken);
                before = current;
                if (!await timer.WaitForNextTickAsync(cancellationToken))
                {
                    return;
                }

                current = sampler.Sample();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left: the stream's normal end.
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            // The container was removed while streamed: Docker ends the stream.
        }
    }

    private static async Task WriteSampleAsync(HttpContext context, Utf8JsonWriter writer, ContainerStatsSample sample, ContainerStatsSample? previous, CancellationToken cancellationToken)
    {
        writer.Reset(context.Response.BodyWriter);
        ContainerStatsJson.Write(writer, sample, previous);
        await writer.FlushAsync(cancellationToken);
        context.Response.BodyWriter.Write("\n"u8);
        await context.Response.BodyWriter.FlushAsync(cancellationToken);
    }

    private static string RouteId(HttpContext context) => context.Request.RouteValues["id"]?.ToString() ?? "";
}
