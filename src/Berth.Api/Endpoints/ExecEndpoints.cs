using System.Globalization;
using System.Text;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Api.Versioning;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>
/// docker exec: create, start, inspect, resize. An attached start arrives with the Upgrade headers and is
/// answered on the raw connection (<see cref="ExecConnectionHandler"/> calls <see cref="StreamRawAsync"/>);
/// what reaches these routes is a detached start, an attached one without Upgrade (output as the body), or
/// a start that must fail — so its error is a plain HTTP reply.
/// </summary>
internal sealed class ExecEndpoints(IContainerQueries containers, IExecSessions execs)
{
    private const string IdRouteValue = "id";

    /// <summary>From 1.42 a framed stream says so in its Content-Type (moby <c>MediaTypeMultiplexedStream</c>).</summary>
    private static readonly ApiVersion MultiplexedContentType = new(1, 42);

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/containers/{id}/exec", CreateAsync);
        routes.MapPost("/exec/{id}/start", StartAsync);
        routes.MapGet("/exec/{id}/json", InspectAsync);
        routes.MapPost("/exec/{id}/resize", ResizeAsync);
    }

    /// <summary>Whether a start of <paramref name="execId"/> would go ahead; if not, the route answers with the error.</summary>
    public bool CanStart(string execId)
    {
        try
        {
            var exec = execs.InspectExec(execId);
            return exec.Status == ExecStatus.Created && containers.TryGet(exec.ContainerId)?.Status == Runtime.Engine.ContainerStatus.Running;
        }
        catch (BerthException)
        {
            return false;
        }
    }

    public static string ContentType(bool tty, ApiVersion version) =>
        !tty && version >= MultiplexedContentType ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream";

    public bool IsTty(string execId) => execs.InspectExec(execId).Spec.Tty;

    /// <summary>
    /// An attached start after the 101: output framed (unless a terminal) until the process ends and its exit is
    /// recorded; client input to the process, its end (the client's half-close) passed on as EOF.
    /// </summary>
    public async Task StreamRawAsync(string execId, Stream input, Stream output)
    {
        var spec = execs.InspectExec(execId).Spec;
        using var gone = new CancellationTokenSource();
        ExecRun run;
        try
        {
            run = await execs.StartExecAsync(execId, OutputTo(output, spec));
        }
        catch (BerthException e)
        {
            // After the 101 there is no status line left to fail with: moby writes the error to the stream.
            await DockerStreamFraming.WriteAsync(output, DockerStreamFraming.Stdout, Encoding.UTF8.GetBytes(e.Message + "\r\n"), spec.Tty, CancellationToken.None);
            return;
        }

        Task copy = spec.AttachStdin ? run.CopyInputAsync(input, gone.Token) : Task.CompletedTask;
        await run.Completion;
        await gone.CancelAsync();
        await copy;
    }

    private static Func<LogStream, ReadOnlyMemory<byte>, ValueTask> OutputTo(Stream output, ExecCreateSpec spec) => async (stream, bytes) =>
    {
        if (stream == LogStream.Stdout ? spec.AttachStdout || spec.Tty : spec.AttachStderr)
        {
            await DockerStreamFraming.WriteAsync(output, DockerStreamFraming.Of(stream), bytes, spec.Tty, CancellationToken.None);
            await output.FlushAsync(CancellationToken.None);
        }
    };

    private async Task CreateAsync(HttpContext context)
    {
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.ExecCreateRequest);
        var spec = new ExecCreateSpec
        {
            Cmd = [.. request.Cmd ?? []],
            Env = [.. request.Env ?? []],
            User = request.User ?? "",
            WorkingDir = request.WorkingDir ?? "",
            Tty = request.Tty,
            AttachStdin = request.AttachStdin,
            AttachStdout = request.AttachStdout,
            AttachStderr = request.AttachStderr,
            Privileged = request.Privileged,
            DetachKeys = request.DetachKeys ?? "",
            ConsoleSize = request.ConsoleSize is [var rows, var columns] && rows > 0 && columns > 0 ? ((ushort)rows, (ushort)columns) : null,
        };
        var exec = execs.CreateExec(RouteId(context), spec);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status201Created, new IdResponse { Id = exec.Id }, DockerJson.Context.IdResponse);
    }

    private async Task StartAsync(HttpContext context)
    {
        string id = RouteId(context);
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.ExecStartRequest);
        if (request.Detach)
        {
            await execs.StartExecAsync(id, output: null, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        // Attached without Upgrade: the output is the body (no input).
        var spec = execs.InspectExec(id).Spec;
        var version = context.Features.Get<RequestedApiVersion>()?.Version ?? ApiVersion.Maximum;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = ContentType(spec.Tty, version);
        var run = await execs.StartExecAsync(id, OutputTo(context.Response.Body, spec), context.RequestAborted);
        await run.Completion;
    }

    private async Task InspectAsync(HttpContext context)
    {
        var exec = execs.InspectExec(RouteId(context));
        var inspect = new ExecInspect
        {
            ID = exec.Id,
            Running = exec.Status == ExecStatus.Running,
            ExitCode = exec.ExitCode,
            ProcessConfig = new ExecProcessConfig
            {
                Tty = exec.Spec.Tty,
                Entrypoint = exec.Spec.Cmd.FirstOrDefault() ?? "",
                Arguments = [.. exec.Spec.Cmd.Skip(1)],
                Privileged = exec.Spec.Privileged,
                User = exec.Spec.User,
            },
            OpenStdin = exec.Spec.AttachStdin,
            OpenStdout = exec.Spec.AttachStdout,
            OpenStderr = exec.Spec.AttachStderr,
            ContainerID = exec.ContainerId.Value,
            DetachKeys = exec.Spec.DetachKeys,
            Pid = exec.Pid,
        };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, inspect, DockerJson.Context.ExecInspect);
    }

    private async Task ResizeAsync(HttpContext context)
    {
        ushort Dimension(string name) =>
            ushort.TryParse(context.Request.Query[name], NumberStyles.None, CultureInfo.InvariantCulture, out ushort value)
                ? value
                : throw new BerthException(ErrorKind.InvalidArgument, $"resize: {name} must be a number of {(name == "h" ? "rows" : "columns")}, got \"{context.Request.Query[name]}\"");
        await execs.ResizeExecAsync(RouteId(context), Dimension("h"), Dimension("w"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static string RouteId(HttpContext context) => context.GetRouteValue(IdRouteValue)?.ToString() ?? "";
}
