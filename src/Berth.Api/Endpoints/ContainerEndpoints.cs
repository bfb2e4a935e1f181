using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Network.Networks;
using Berth.Runtime.Containers;
using Berth.Runtime.Engine;
using ContainerStatus = Berth.Runtime.Engine.ContainerStatus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>
/// The container routes a detached <c>docker run</c> and its companions need: create, wait (headers
/// flushed at once), start, stop, kill, inspect, ps, logs, rm (images: <see cref="ImageEndpoints"/>).
/// Attach and exec come later.
/// </summary>
internal sealed class ContainerEndpoints(ContainerManager containers, INetworkService networks)
{
    private const string IdRouteValue = "id";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/containers/create", CreateAsync);
        routes.MapGet("/containers/json", ListAsync);
        routes.MapGet("/containers/{id}/json", InspectAsync);
        routes.MapPost("/containers/{id}/start", StartAsync);
        routes.MapPost("/containers/{id}/stop", StopAsync);
        routes.MapPost("/containers/{id}/kill", KillAsync);
        routes.MapPost("/containers/{id}/wait", WaitAsync);
        routes.MapGet("/containers/{id}/logs", LogsAsync);
        routes.MapDelete("/containers/{id}", RemoveAsync);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.ContainerCreateRequest);
        if (string.IsNullOrEmpty(request.Image))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "config: Image is required");
        }

        string mode = request.HostConfig?.NetworkMode is { Length: > 0 } m ? m : "default";
        var endpoints = (request.NetworkingConfig?.EndpointsConfig ?? [])
            .Where(e => e.Key != "default")
            .Select(e => new EndpointSpec(e.Key, e.Value?.IPAMConfig?.IPv4Address, e.Value?.IPAMConfig?.IPv6Address, e.Value?.MacAddress) { Aliases = [.. e.Value?.Aliases ?? []] })
            .ToImmutableArray();
        var spec = new ContainerCreateSpec
        {
            Image = request.Image,
            Cmd = request.Cmd is null ? null : [.. request.Cmd],
            Entrypoint = request.Entrypoint is null or { Count: 0 } ? null : [.. request.Entrypoint],
            Env = [.. request.Env ?? []],
            WorkingDir = request.WorkingDir is { Length: > 0 } w ? w : null,
            User = request.User is { Length: > 0 } u ? u : null,
            Hostname = request.Hostname,
            Tty = request.Tty ?? false,
            Labels = (request.Labels ?? []).ToImmutableDictionary(),
            NetworkMode = mode,
            Endpoints = endpoints,
            AutoRemove = request.HostConfig?.AutoRemove ?? false,
        };
        var record = await containers.CreateAsync(spec, context.Request.Query["name"].ToString(), context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status201Created, new ContainerCreateResponse { Id = record.Id }, DockerJson.Context.ContainerCreateResponse);
    }

    private async Task ListAsync(HttpContext context)
    {
        bool all = QueryBool.Get(context.Request, "all");
        var list = new List<ContainerSummary>();
        foreach (var record in containers.List().Where(c => all || c.Status == ContainerStatus.Running))
        {
            list.Add(new ContainerSummary
            {
                Id = record.Id,
                Names = ["/" + record.Name],
                Image = record.Spec.Image,
                ImageID = record.ImageId,
                Command = string.Join(' ', record.Command),
                Created = record.Created.ToUnixTimeSeconds(),
                State = StateName(record),
                Status = StatusText(record),
                Labels = new Dictionary<string, string>(record.Spec.Labels),
                HostConfig = new ContainerHostConfig { NetworkMode = record.Spec.NetworkMode },
                NetworkSettings = new ContainerSummaryNetworks { Networks = await EndpointsAsync(record, context.RequestAborted) },
            });
        }

        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, list, DockerJson.Context.ListContainerSummary);
    }

    private async Task InspectAsync(HttpContext context)
    {
        var record = containers.Get(RouteId(context));
        var networksOf = await EndpointsAsync(record, context.RequestAborted);
        var primary = networksOf.Values.FirstOrDefault();
        var inspect = new ContainerInspect
        {
            Id = record.Id,
            Created = Rfc3339.FormatNano(record.Created),
            Path = record.Command.FirstOrDefault() ?? "",
            Args = [.. record.Command.Skip(1)],
            State = new ContainerStateInfo
            {
                Status = StateName(record),
                Running = record.Status == ContainerStatus.Running,
                Pid = record.Pid,
                ExitCode = record.ExitCode,
                StartedAt = record.StartedAt is { } s ? Rfc3339.FormatNano(s) : "0001-01-01T00:00:00Z",
                FinishedAt = record.FinishedAt is { } f ? Rfc3339.FormatNano(f) : "0001-01-01T00:00:00Z",
            },
            Image = record.ImageId,
            Name = "/" + record.Name,
            HostConfig = new ContainerHostConfig { NetworkMode = record.Spec.NetworkMode, AutoRemove = record.Spec.AutoRemove },
            Config = new ContainerConfigInfo
            {
                Hostname = record.Spec.Hostname is { Length: > 0 } h ? h : record.ShortId,
                User = record.Spec.User ?? "",
                Tty = record.Spec.Tty,
                Env = [.. record.Spec.Env],
                Cmd = record.Spec.Cmd is { } cmd ? [.. cmd] : null,
                Entrypoint = record.Spec.Entrypoint is { } entrypoint ? [.. entrypoint] : null,
                Image = record.Spec.Image,
                WorkingDir = record.Spec.WorkingDir ?? "",
                Labels = new Dictionary<string, string>(record.Spec.Labels),
            },
            NetworkSettings = new ContainerNetworkSettings
            {
                Networks = networksOf,
                SandboxKey = record.Status == ContainerStatus.Running ? $"/proc/{record.Pid}/ns/net" : "",
                IPAddress = record.Spec.NetworkMode is "default" or "bridge" ? primary?.IPAddress ?? "" : "",
                IPPrefixLen = record.Spec.NetworkMode is "default" or "bridge" ? primary?.IPPrefixLen ?? 0 : 0,
                Gateway = record.Spec.NetworkMode is "default" or "bridge" ? primary?.Gateway ?? "" : "",
                MacAddress = record.Spec.NetworkMode is "default" or "bridge" ? primary?.MacAddress ?? "" : "",
            },
        };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, inspect, DockerJson.Context.ContainerInspect);
    }

    private async Task StartAsync(HttpContext context)
    {
        bool started = await containers.StartAsync(RouteId(context), context.RequestAborted);
        context.Response.StatusCode = started ? StatusCodes.Status204NoContent : StatusCodes.Status304NotModified;
    }

    private async Task StopAsync(HttpContext context)
    {
        int seconds = int.TryParse(context.Request.Query["t"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int t) ? t : 10;
        await containers.StopAsync(RouteId(context), TimeSpan.FromSeconds(Math.Max(0, seconds)), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task KillAsync(HttpContext context)
    {
        string signal = context.Request.Query["signal"].ToString();
        await containers.KillAsync(RouteId(context), signal.Length == 0 ? "KILL" : signal.Replace("SIG", "", StringComparison.Ordinal), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Headers go out at once (clients send start only after them); the body follows at the exit.</summary>
    private async Task WaitAsync(HttpContext context)
    {
        string id = RouteId(context);
        _ = containers.Get(id);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        int code = await containers.WaitAsync(id, context.Request.Query["condition"].ToString(), context.RequestAborted);
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, new ContainerWaitResponse { StatusCode = code }, DockerJson.Context.ContainerWaitResponse, context.RequestAborted);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
    }

    /// <summary>Logs in Docker's multiplexed framing: [stream][0,0,0][length BE][payload].</summary>
    private async Task LogsAsync(HttpContext context)
    {
        var record = containers.Get(RouteId(context));
        bool stdout = QueryBool.Get(context.Request, "stdout");
        bool stderr = QueryBool.Get(context.Request, "stderr");
        bool timestamps = QueryBool.Get(context.Request, "timestamps");
        string tail = context.Request.Query["tail"].ToString();
        var entries = containers.Logs(record.Id).Where(e => e.Stream == LogStream.Stdout ? stdout : stderr).ToList();
        if (int.TryParse(tail, NumberStyles.Integer, CultureInfo.InvariantCulture, out int last) && last >= 0 && last < entries.Count)
        {
            entries = entries[^last..];
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        foreach (var entry in entries)
        {
            string line = (timestamps ? entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + " " : "") + entry.Text + "\n";
            await WriteFrameAsync(context.Response.Body, entry.Stream, Encoding.UTF8.GetBytes(line), record.Spec.Tty, context.RequestAborted);
        }
    }

    /// <summary>
    /// Attach, on the raw connection (see <see cref="AttachConnectionHandler"/>): the container's output in
    /// Docker's framing until it exits, read from its log as conmon writes it. Stdin is not carried yet.
    /// </summary>
    public async Task StreamAttachAsync(string idOrName, bool stdout, bool stderr, bool stdin, Stream output)
    {
        ContainerRecord record;
        try
        {
            record = containers.Get(idOrName);
        }
        catch (BerthException e)
        {
            await WriteFrameAsync(output, null, Encoding.UTF8.GetBytes(e.Message + "\n"), tty: false, CancellationToken.None);
            return;
        }

        if (stdin)
        {
            await WriteFrameAsync(output, null, "attaching stdin (docker run -i, docker attach) is not supported by Berth yet; run without -i\n"u8.ToArray(), tty: false, CancellationToken.None);
            return;
        }

        using var lease = containers.HoldLogs(record.Id);
        int sent = 0;
        try
        {
            while (true)
            {
                bool finished = containers.IsFinished(record.Id);
                var entries = containers.Logs(record.Id).ToList();
                for (; sent < entries.Count; sent++)
                {
                    var entry = entries[sent];
                    if (entry.Stream == LogStream.Stdout ? stdout : stderr)
                    {
                        await WriteFrameAsync(output, entry.Stream, Encoding.UTF8.GetBytes(entry.Text + "\n"), record.Spec.Tty, CancellationToken.None);
                    }
                }

                await output.FlushAsync(CancellationToken.None);
                if (finished)
                {
                    break;
                }

                await Task.Delay(AttachPollInterval, CancellationToken.None);
            }
        }
        catch (IOException)
        {
            // The client went away.
        }
    }

    private static readonly TimeSpan AttachPollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>One frame: [stream][0,0,0][length BE][payload]; stream null is Docker's "system error" (3). No framing with a TTY.</summary>
    private static async Task WriteFrameAsync(Stream output, LogStream? stream, byte[] payload, bool tty, CancellationToken cancellationToken)
    {
        if (!tty)
        {
            byte[] header = new byte[8];
            header[0] = stream switch { LogStream.Stdout => 1, LogStream.Stderr => 2, _ => 3 };
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
            await output.WriteAsync(header, cancellationToken);
        }

        await output.WriteAsync(payload, cancellationToken);
    }

    private async Task RemoveAsync(HttpContext context)
    {
        await containers.RemoveAsync(RouteId(context), QueryBool.Get(context.Request, "force"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task<Dictionary<string, EndpointSettings>> EndpointsAsync(ContainerRecord record, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, EndpointSettings>();
        foreach (var endpoint in containers.EndpointsOf(record.Id))
        {
            var network = await networks.GetAsync(endpoint.NetworkId.Value, cancellationToken);
            result[network.Name] = new EndpointSettings
            {
                NetworkID = network.Id.Value,
                EndpointID = endpoint.EndpointId,
                IPAddress = endpoint.IPv4?.Address.ToString() ?? "",
                IPPrefixLen = endpoint.IPv4?.PrefixLength ?? 0,
                Gateway = endpoint.Gateway?.ToString() ?? "",
                GlobalIPv6Address = endpoint.IPv6?.Address.ToString() ?? "",
                GlobalIPv6PrefixLen = endpoint.IPv6?.PrefixLength ?? 0,
                IPv6Gateway = endpoint.IPv6Gateway?.ToString() ?? "",
                MacAddress = endpoint.MacAddress,
                Aliases = [.. endpoint.Aliases],
                DNSNames = [record.Name, record.ShortId],
            };
        }

        return result;
    }

    private static string StateName(ContainerRecord record) => record.Status switch
    {
        ContainerStatus.Running => "running",
        ContainerStatus.Exited => "exited",
        _ => "created",
    };

    private static string StatusText(ContainerRecord record) => record.Status switch
    {
        ContainerStatus.Running => "Up " + Ago(record.StartedAt),
        ContainerStatus.Exited => $"Exited ({record.ExitCode}) {Ago(record.FinishedAt)} ago",
        _ => "Created",
    };

    private static string Ago(DateTimeOffset? since)
    {
        var span = DateTimeOffset.UtcNow - (since ?? DateTimeOffset.UtcNow);
        return span.TotalSeconds < 60 ? $"{Math.Max(1, (int)span.TotalSeconds)} seconds"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} minutes"
            : $"{(int)span.TotalHours} hours";
    }

    private static string RouteId(HttpContext context) => context.GetRouteValue(IdRouteValue)?.ToString() ?? "";
}
