using System.Runtime.InteropServices;
using Berth.Api.Contracts;
using Berth.Api.Hosting;
using Berth.Api.Http;
using Berth.Api.SwarmMode;
using Berth.Cluster.Swarm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary><c>/_ping</c>, <c>/version</c>, <c>/info</c>, and Docker's 404 for everything unknown.</summary>
internal sealed class SystemEndpoints(BerthApiOptions options, ISwarm? swarm = null)
{
    private const string PlainText = "text/plain; charset=utf-8";

    private const string ClassicBuilderVersion = "1";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/_ping", [HttpMethods.Get, HttpMethods.Head], PingAsync);
        routes.MapGet("/version", VersionAsync);
        routes.MapGet("/info", InfoAsync);

        // "{*path}" rather than MapFallback's "{*path:nonfile}", so that paths with a dot get the JSON 404 too.
        routes.MapFallback("{*path}", NotFoundAsync);
    }

    /// <summary>moby answers HEAD and GET alike; HEAD has no body. <c>Swarm</c> (API ≥1.42) only hides commands in help.</summary>
    private Task PingAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache, no-store, must-revalidate";
        headers.Pragma = "no-cache";
        headers["Swarm"] = SwarmHeader(swarm?.Local ?? SwarmLocalStatus.Inactive);
        // moby's BuilderVersion: "1" is the classic builder, the only one Berth serves (no BuildKit session or gRPC).
        headers["Builder-Version"] = ClassicBuilderVersion;
        context.Response.ContentType = PlainText;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        }

        return context.Response.WriteAsync("OK", context.RequestAborted);
    }

    private Task VersionAsync(HttpContext context)
    {
        DaemonFacts daemon = options.Daemon;
        string goArch = GoArchitecture();
        var version = new VersionResponse
        {
            Platform = new VersionPlatform { Name = daemon.PlatformName },
            Components =
            [
                new VersionComponent
                {
                    Name = "Engine",
                    Version = daemon.Version,
                    Details = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["ApiVersion"] = options.MaxApiVersion.ToString(),
                        ["Arch"] = goArch,
                        ["BuildTime"] = "",
                        ["Experimental"] = "false",
                        ["GitCommit"] = daemon.GitCommit,
                        ["GoVersion"] = RuntimeVersion(),
                        ["KernelVersion"] = daemon.KernelVersion,
                        ["MinAPIVersion"] = options.MinApiVersion.ToString(),
                        ["Os"] = "linux",
                    },
                },
            ],
            Version = daemon.Version,
            ApiVersion = options.MaxApiVersion.ToString(),
            MinAPIVersion = options.MinApiVersion.ToString(),
            GitCommit = daemon.GitCommit,
            GoVersion = RuntimeVersion(),
            Os = "linux",
            Arch = goArch,
            KernelVersion = daemon.KernelVersion,
            BuildTime = "",
        };
        return DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, version, DockerJson.Context.VersionResponse);
    }

    /// <summary>moby <c>swarmStatus</c>: the local state, and for an active node its role.</summary>
    private static string SwarmHeader(SwarmLocalStatus local) =>
        local.State == SwarmLocalState.Active
            ? $"{LocalNodeState.Active}/{(local.Role == Cluster.Identity.ClusterRole.Manager ? NodeRole.Manager : NodeRole.Worker)}"
            : SwarmContractMapper.LocalNodeStateOf(local.State);

    private async Task InfoAsync(HttpContext context)
    {
        DaemonFacts daemon = options.Daemon;
        var info = new InfoResponse
        {
            ID = daemon.DaemonId,
            KernelVersion = daemon.KernelVersion,
            OperatingSystem = daemon.OperatingSystem,
            OSType = "linux",
            Architecture = UnameArchitecture(),
            NCPU = daemon.CpuCount,
            MemTotal = daemon.MemoryBytes,
            Name = daemon.HostName,
            ServerVersion = daemon.Version,
            DockerRootDir = daemon.RootDir,
            ExperimentalBuild = false,
            Runtimes = daemon.Runtimes.Paths.ToDictionary(r => r.Key, r => new RuntimeInfo { Path = r.Value }),
            DefaultRuntime = daemon.Runtimes.Default,
            LoggingDriver = daemon.LoggingDriver,
            SecurityOptions = [.. daemon.SecurityOptions],
            RegistryConfig = RegistryConfig(daemon),
            Swarm = swarm is null ? new SwarmInfo { LocalNodeState = LocalNodeState.Inactive, ControlAvailable = false } : await SwarmInfoAsync(swarm, context.RequestAborted),
        };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, info, DockerJson.Context.InfoResponse);
    }

    /// <summary>moby's <c>ServiceConfig</c>: insecure CIDRs, and an index entry per registry (Docker Hub's, and each insecure name).</summary>
    private static RegistryServiceConfig RegistryConfig(DaemonFacts daemon)
    {
        var indexes = new Dictionary<string, IndexInfo>(StringComparer.Ordinal)
        {
            ["docker.io"] = new IndexInfo { Name = "docker.io", Secure = true, Official = true },
        };
        foreach (string name in daemon.InsecureRegistryNames)
        {
            indexes[name] = new IndexInfo { Name = name, Secure = false };
        }

        return new RegistryServiceConfig { InsecureRegistryCIDRs = [.. daemon.InsecureRegistryCidrs], IndexConfigs = indexes };
    }

    private static async Task<SwarmInfo> SwarmInfoAsync(ISwarm swarm, CancellationToken cancellationToken)
    {
        SwarmSummary summary = await swarm.SummaryAsync(cancellationToken);
        SwarmLocalStatus local = summary.Local;
        return new SwarmInfo
        {
            NodeID = local.Node?.Value ?? "",
            NodeAddr = local.NodeAddress,
            LocalNodeState = SwarmContractMapper.LocalNodeStateOf(local.State),
            ControlAvailable = local.IsManager,
            Error = local.Error,
            RemoteManagers = local.State == SwarmLocalState.Inactive ? null : [.. summary.RemoteManagers.Select(m => new SwarmPeer { NodeID = m.Node, Addr = m.Address })],
            Nodes = summary.Nodes,
            Managers = summary.Managers,
            Cluster = summary.Cluster is { } cluster ? SwarmContractMapper.ToClusterInfo(cluster) : null,
        };
    }

    private static Task NotFoundAsync(HttpContext context) =>
        DockerJson.WriteErrorAsync(context.Response, StatusCodes.Status404NotFound, "page not found");

    /// <summary>Where Docker shows its Go version, Berth shows its runtime's.</summary>
    private static string RuntimeVersion() => "dotnet" + Environment.Version;

    /// <summary>GOARCH spelling, as <c>/version</c> reports it.</summary>
    private static string GoArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture other => other.ToString().ToLowerInvariant(),
    };

    /// <summary><c>uname -m</c> spelling, as <c>/info</c> reports it.</summary>
    private static string UnameArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        Architecture.Arm => "armv7l",
        Architecture.X86 => "i686",
        Architecture other => other.ToString().ToLowerInvariant(),
    };
}
