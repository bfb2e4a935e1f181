using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Berth.Api.Containers;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Network.Networks;
using Berth.Runtime.Engine;
using ContainerStatus = Berth.Runtime.Engine.ContainerStatus;
using Berth.Runtime.Images;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>
/// The container routes a detached <c>docker run</c> and its companions need: create, wait (headers
/// flushed at once), start, stop, kill, inspect, ps, rm (images: <see cref="ImageEndpoints"/>).
/// Attach and resize: <see cref="ContainerAttachEndpoints"/>; logs: <see cref="ContainerLogsEndpoint"/>.
/// </summary>
internal sealed class ContainerEndpoints(IContainerQueries containers, IContainerLifecycle lifecycle, IContainerStreams streams, IContainerCgroups cgroups, ImageStore images, INetworkService networks, Runtime.Containers.OciRuntimes runtimes)
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
        routes.MapDelete("/containers/{id}", RemoveAsync);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.ContainerCreateRequest);
        if (string.IsNullOrEmpty(request.Image))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "config: Image is required");
        }

        var mode = Berth.Core.Networks.NetworkMode.Parse(request.HostConfig?.NetworkMode);
        // The docker CLI (API 1.44+) sends --mac-address, --ip and --alias of a plain `docker run` under "default":
        // they belong to the network the mode implies (bridge), as moby applies them.
        var endpoints = (request.NetworkingConfig?.EndpointsConfig ?? [])
            .Where(e => e.Key != DefaultEndpointKey || (mode.ImpliedNetwork is not null && !request.NetworkingConfig!.EndpointsConfig!.ContainsKey(mode.ImpliedNetwork) && Configures(e.Value)))
            .Select(e => new EndpointSpec(e.Key == DefaultEndpointKey ? mode.ImpliedNetwork! : e.Key, e.Value?.IPAMConfig?.IPv4Address, e.Value?.IPAMConfig?.IPv6Address, e.Value?.MacAddress)
            {
                Aliases = [.. e.Value?.Aliases ?? []],
                Links = [.. e.Value?.Links ?? []],
                Implied = e.Key == DefaultEndpointKey,
            })
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
            OpenStdin = request.OpenStdin ?? false,
            StdinOnce = request.StdinOnce ?? false,
            AttachStdin = request.AttachStdin ?? false,
            AttachStdout = request.AttachStdout ?? false,
            AttachStderr = request.AttachStderr ?? false,
            ConsoleHeight = request.HostConfig?.ConsoleSize is [var rows, _] ? rows : 0,
            ConsoleWidth = request.HostConfig?.ConsoleSize is [_, var columns] ? columns : 0,
            Labels = (request.Labels ?? []).ToImmutableDictionary(),
            NetworkMode = mode,
            Endpoints = endpoints,
            Links = [.. request.HostConfig?.Links ?? []],
            AutoRemove = request.HostConfig?.AutoRemove ?? false,
            SecurityOpt = [.. request.HostConfig?.SecurityOpt ?? []],
            Dns = [.. request.HostConfig?.Dns ?? []],
            DnsSearch = [.. request.HostConfig?.DnsSearch ?? []],
            DnsOptions = [.. request.HostConfig?.DnsOptions ?? []],
            ExtraHosts = [.. ExtraHostEntries.Validate(request.HostConfig?.ExtraHosts ?? [])],
            Binds = [.. request.HostConfig?.Binds ?? []],
            Mounts = ContainerMountView.FromRequest(request.HostConfig?.Mounts),
            Volumes = [.. (request.Volumes ?? []).Keys],
            ReadonlyRootfs = request.HostConfig?.ReadonlyRootfs ?? false,
            Sysctls = (request.HostConfig?.Sysctls ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
            CapAdd = [.. request.HostConfig?.CapAdd ?? []],
            CapDrop = [.. request.HostConfig?.CapDrop ?? []],
            Privileged = request.HostConfig?.Privileged ?? false,
            Runtime = runtimes.Choose(request.HostConfig?.Runtime),
            Healthcheck = ContainerHealthView.FromRequest(request.Healthcheck),
            RestartPolicy = RestartPolicy.Validate(request.HostConfig?.RestartPolicy?.Name, request.HostConfig?.RestartPolicy?.MaximumRetryCount ?? 0, request.HostConfig?.AutoRemove ?? false),
            PortBindings = ContainerPortView.Bindings(request.HostConfig?.PortBindings),
            PublishAllPorts = request.HostConfig?.PublishAllPorts ?? false,
            ExposedPorts = ContainerPortView.Exposed(request.ExposedPorts),
            ShmSize = (request.HostConfig?.ShmSize ?? 0) >= 0
                ? request.HostConfig?.ShmSize ?? 0
                : throw new BerthException(ErrorKind.InvalidArgument, "SHM size can not be less than 0"),
        };
        spec = ContainerProcessView.Apply(spec, request) with { LogConfig = streams.ResolveLogConfig(ContainerLogConfigView.FromRequest(request.HostConfig?.LogConfig)) };

        // Docker's checks first (400s), then its warnings for what this host's cgroups cannot enforce (dropped).
        var version = context.Features.Get<Versioning.RequestedApiVersion>()?.Version ?? Versioning.ApiVersion.Maximum;
        var (resources, warnings) = ResourceRules.Check(ContainerResourceView.FromRequest(request.HostConfig), Environment.ProcessorCount, Linux.Cgroups.CgroupSupport.Host);
        spec = spec with { Resources = resources };
        var record = await lifecycle.CreateAsync(spec, context.Request.Query["name"].ToString(), context.RequestAborted);
        var response = new ContainerCreateResponse { Id = record.Id.Value, Warnings = [.. ContainerResourceView.KernelMemoryWarnings(request.HostConfig, version), .. warnings] };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status201Created, response, DockerJson.Context.ContainerCreateResponse);
    }

    /// <summary>The endpoint key the docker CLI uses for the network a plain <c>docker run</c> gets.</summary>
    private const string DefaultEndpointKey = "default";

    /// <summary>Whether a <c>default</c> endpoint entry asks for anything (docker-py sends empty ones).</summary>
    private static bool Configures(EndpointSettings? settings) =>
        settings is not null && (settings.MacAddress is { Length: > 0 } || settings.IPAMConfig?.IPv4Address is { Length: > 0 }
            || settings.IPAMConfig?.IPv6Address is { Length: > 0 } || settings.Aliases is { Count: > 0 } || settings.Links is { Count: > 0 });

    /// <summary><c>docker ps</c>: <see cref="ContainerListFilter"/> over every container, newest first; <c>size</c> is accepted and not computed.</summary>
    private async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        int limit = int.TryParse(query["limit"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int l) ? l : -1;
        var filter = ContainerListFilter.Create(FilterArgs.Parse(query["filters"]), QueryBool.Get(context.Request, "all"), limit, FindContainerId, ResolveImageId);
        var now = DateTimeOffset.UtcNow;
        var records = containers.List();
        var networksOf = new Dictionary<string, Dictionary<string, EndpointSettings>>();
        var rows = new List<ContainerRow>();
        foreach (var record in records)
        {
            var networksOfRecord = await ContainerNetworkView.NetworksAsync(containers, networks, record, context.RequestAborted);
            networksOf[record.Id.Value] = networksOfRecord;
            rows.Add(new ContainerRow(record.Id.Value, record.Name, record.ImageId, record.Spec.Labels, ContainerDisplay.State(record),
                record.Status is ContainerStatus.Running or ContainerStatus.Restarting, record.ExitCode, record.StartedAt is not null,
                networksOfRecord.ToImmutableDictionary(n => n.Key, n => n.Value.NetworkID ?? ""), ContainerHealthView.FilterName(containers.HealthOf(record.Id))));
        }

        var byId = records.ToDictionary(r => r.Id.Value);
        var list = filter.Select(rows).Select(row => byId[row.Id]).Select(record => new ContainerSummary
        {
            Id = record.Id.Value,
            Names = ["/" + record.Name],
            Image = record.Spec.Image,
            ImageID = record.ImageId,
            Command = ContainerDisplay.Command(record),
            Created = record.Created.ToUnixTimeSeconds(),
            State = ContainerDisplay.State(record),
            Status = ContainerDisplay.Status(record, now) + (record.Status == ContainerStatus.Running && !record.Paused ? ContainerHealthView.StatusSuffix(containers.HealthOf(record.Id)) : ""),
            Labels = new Dictionary<string, string>(record.Spec.Labels),
            HostConfig = new ContainerHostConfig { NetworkMode = record.Spec.NetworkMode.ToString() },
            Ports = ContainerPortView.Summary(record, containers.ExposedPortsOf(record)),
            NetworkSettings = new ContainerSummaryNetworks { Networks = networksOf[record.Id.Value] },
            Mounts = ContainerMountView.Points(record),
        }).ToList();
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, list, DockerJson.Context.ListContainerSummary);
    }

    private string? FindContainerId(string idOrName)
    {
        try
        {
            return containers.Get(idOrName).Id.Value;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }

    private string? ResolveImageId(string reference)
    {
        try
        {
            return images.Inspect(reference).Id;
        }
        catch (BerthException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.InvalidArgument)
        {
            return null;
        }
    }

    private async Task InspectAsync(HttpContext context)
    {
        var record = containers.Get(RouteId(context));
        var networksOf = await ContainerNetworkView.NetworksAsync(containers, networks, record, context.RequestAborted);
        var primary = networksOf.Values.FirstOrDefault();
        var exposed = containers.ExposedPortsOf(record);
        var (cmd, entrypoint) = ContainerConfigView.Effective(record.Spec, images, record.ImageId);
        var inspect = new ContainerInspect
        {
            Id = record.Id.Value,
            Created = Rfc3339.FormatNano(record.Created),
            Path = record.Command.FirstOrDefault() ?? "",
            Args = [.. record.Command.Skip(1)],
            State = new ContainerStateInfo
            {
                Status = ContainerDisplay.State(record),
                Running = record.Status is ContainerStatus.Running or ContainerStatus.Restarting,
                Paused = record.Paused,
                Restarting = record.Status == ContainerStatus.Restarting,
                OOMKilled = cgroups.OomKilled(record),
                Pid = record.Pid,
                ExitCode = record.ExitCode,
                StartedAt = record.StartedAt is { } s ? Rfc3339.FormatNano(s) : "0001-01-01T00:00:00Z",
                FinishedAt = record.FinishedAt is { } f ? Rfc3339.FormatNano(f) : "0001-01-01T00:00:00Z",
                Health = ContainerHealthView.ToState(containers.HealthOf(record.Id)),
            },
            Image = record.ImageId,
            Name = "/" + record.Name,
            RestartCount = record.RestartCount,
            LogPath = streams.LogFileOf(record),
            HostConfig = new ContainerHostConfig
            {
                NetworkMode = record.Spec.NetworkMode.ToString(),
                AutoRemove = record.Spec.AutoRemove,
                Binds = record.Spec.Binds.IsEmpty ? null : [.. record.Spec.Binds],
                Mounts = ContainerMountView.ToRequest(record.Spec.Mounts),
                ReadonlyRootfs = record.Spec.ReadonlyRootfs,
                Sysctls = record.Spec.Sysctls.IsEmpty ? null : new Dictionary<string, string>(record.Spec.Sysctls, StringComparer.Ordinal),
                CapAdd = record.Spec.CapAdd.IsEmpty ? null : [.. record.Spec.CapAdd],
                CapDrop = record.Spec.CapDrop.IsEmpty ? null : [.. record.Spec.CapDrop],
                Privileged = record.Spec.Privileged,
                Runtime = record.Spec.Runtime ?? Runtime.Containers.OciRuntimes.Runc,
                SecurityOpt = record.Spec.SecurityOpt.IsEmpty ? null : [.. record.Spec.SecurityOpt],
                Dns = [.. record.Spec.Dns],
                ExtraHosts = record.Spec.ExtraHosts.IsDefaultOrEmpty ? null : [.. record.Spec.ExtraHosts],
                DnsSearch = [.. record.Spec.DnsSearch],
                DnsOptions = [.. record.Spec.DnsOptions],
                RestartPolicy = new ContainerRestartPolicy { Name = record.Spec.RestartPolicy.Name is { Length: > 0 } n ? n : RestartPolicy.No, MaximumRetryCount = record.Spec.RestartPolicy.MaximumRetryCount },
                Links = containers.LegacyLinksOf(record)?.ToList(),
                PortBindings = ContainerPortView.BindingsContract(record.Spec.PortBindings),
                PublishAllPorts = record.Spec.PublishAllPorts,
                LogConfig = ContainerLogConfigView.ToContract(streams.LogConfigOf(record)),
            },
            Config = new ContainerConfigInfo
            {
                Hostname = record.Spec.Hostname is { Length: > 0 } h ? h : record.ShortId,
                User = record.Spec.User ?? "",
                Tty = record.Spec.Tty,
                OpenStdin = record.Spec.OpenStdin,
                StdinOnce = record.Spec.StdinOnce,
                AttachStdin = record.Spec.AttachStdin,
                AttachStdout = record.Spec.AttachStdout,
                AttachStderr = record.Spec.AttachStderr,
                Env = [.. record.Spec.Env],
                Cmd = cmd,
                Entrypoint = entrypoint,
                Image = record.Spec.Image,
                WorkingDir = record.Spec.WorkingDir ?? "",
                Labels = new Dictionary<string, string>(record.Spec.Labels),
                Healthcheck = ContainerHealthView.ToConfig(record.Spec.Healthcheck),
                ExposedPorts = ContainerPortView.ExposedContract(exposed),
            },
            NetworkSettings = new ContainerNetworkSettings
            {
                Ports = ContainerPortView.Settings(record, exposed),
                Networks = networksOf,
                SandboxKey = record.Status == ContainerStatus.Running ? $"/proc/{record.Pid}/ns/net" : "",
                IPAddress = record.Spec.NetworkMode.IsDefaultBridge ? primary?.IPAddress ?? "" : "",
                IPPrefixLen = record.Spec.NetworkMode.IsDefaultBridge ? primary?.IPPrefixLen ?? 0 : 0,
                Gateway = record.Spec.NetworkMode.IsDefaultBridge ? primary?.Gateway ?? "" : "",
                MacAddress = record.Spec.NetworkMode.IsDefaultBridge ? primary?.MacAddress ?? "" : "",
            },
            Mounts = ContainerMountView.Points(record),
        };
        ContainerResourceView.Show(record.Spec.Resources, record.Spec.ShmSize, inspect.HostConfig);
        ContainerProcessView.Show(record.Spec, inspect.HostConfig, inspect.Config);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, inspect, DockerJson.Context.ContainerInspect);
    }

    private async Task StartAsync(HttpContext context)
    {
        bool started = await lifecycle.StartAsync(RouteId(context), context.RequestAborted);
        context.Response.StatusCode = started ? StatusCodes.Status204NoContent : StatusCodes.Status304NotModified;
    }

    /// <summary><c>POST /containers/{id}/stop?t=N&amp;signal=S</c>: without them, the container's stop timeout and signal.</summary>
    private async Task StopAsync(HttpContext context)
    {
        await lifecycle.StopAsync(RouteId(context), StopTimeout.Of(context.Request), StopTimeout.SignalOf(context.Request), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task KillAsync(HttpContext context)
    {
        string signal = context.Request.Query["signal"].ToString();
        await lifecycle.KillAsync(RouteId(context), signal.Length == 0 ? "KILL" : signal.Replace("SIG", "", StringComparison.Ordinal), context.RequestAborted);
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
        int code = await lifecycle.WaitAsync(id, context.Request.Query["condition"].ToString(), context.RequestAborted);
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, new ContainerWaitResponse { StatusCode = code }, DockerJson.Context.ContainerWaitResponse, context.RequestAborted);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
    }

    private async Task RemoveAsync(HttpContext context)
    {
        if (QueryBool.Get(context.Request, "link"))
        {
            await lifecycle.RemoveLinkAsync(RouteId(context), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await lifecycle.RemoveAsync(RouteId(context), QueryBool.Get(context.Request, "force"), removeVolumes: QueryBool.Get(context.Request, "v"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static string RouteId(HttpContext context) => context.GetRouteValue(IdRouteValue)?.ToString() ?? "";
}
