using Berth.Api.Endpoints;
using Berth.Api.Endpoints.Unserved;
using Berth.Api.Errors;
using Berth.Api.Hosting;
using Berth.Api.Versioning;
using Berth.Core.Errors;
using Berth.Network.Networks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Api;

/// <summary>
/// The Docker Engine API host: Kestrel on unix (and optionally TCP) sockets, minimal-API routes with
/// <see cref="Http.DockerJson"/> serialisation, no MVC and no reflection-based binding. The daemon builds it,
/// then calls <see cref="StartAsync"/> (or <c>app.StartAsync</c> followed by <see cref="SecureSockets"/>).
/// </summary>
public static class BerthApi
{
    public static WebApplication Build(BerthApiOptions options, INetworkService networks, ILoggerProvider? logging = null) =>
        Build(options, networks, containers: null, images: null, logging);

    /// <summary>
    /// The API with the image routes when <paramref name="images"/> is given, and the container routes when
    /// <paramref name="containers"/> is given too.
    /// </summary>
    public static WebApplication Build(BerthApiOptions options, INetworkService networks, Runtime.Engine.IContainerEngine? containers, Runtime.Images.ImageStore? images, ILoggerProvider? logging = null) =>
        Build(options, networks, containers, images, swarm: null, logging);

    /// <summary>As above, with the <c>/swarm</c> and <c>/nodes</c> routes served by <paramref name="swarm"/> when it is given.</summary>
    public static WebApplication Build(BerthApiOptions options, INetworkService networks, Runtime.Engine.IContainerEngine? containers, Runtime.Images.ImageStore? images,
        Cluster.Swarm.ISwarm? swarm, ILoggerProvider? logging = null) =>
        Build(options, networks, containers, images, swarm, services: null, logging);

    /// <summary>
    /// As above, with the <c>/services</c> and <c>/tasks</c> routes served by <paramref name="services"/> when it is
    /// given (without, they answer as on a node outside a swarm); their logs (<c>/services/{id}/logs</c>,
    /// <c>/tasks/{id}/logs</c>) when <paramref name="nodeChannel"/> is given too.
    /// </summary>
    public static WebApplication Build(BerthApiOptions options, INetworkService networks, Runtime.Engine.IContainerEngine? containers, Runtime.Images.ImageStore? images,
        Cluster.Swarm.ISwarm? swarm, Cluster.Services.IServices? services, ILoggerProvider? logging = null, Cluster.NodeChannel.NodeChannelSession? nodeChannel = null,
        Cluster.Secrets.ISecrets? secrets = null, Diagnostics.Doctor.Doctor? doctor = null,
        Diagnostics.Topology.TopologyBuilder? topology = null)
    {
        if (options.MaxApiVersion > ApiVersion.Maximum || options.MinApiVersion > options.MaxApiVersion)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"API versions {options.MinApiVersion}–{options.MaxApiVersion}: Berth serves at most {ApiVersion.Maximum}, and the minimum must not exceed the maximum");
        }

        var addresses = options.Hosts.Select(ListenAddress.Parse).ToList();
        networks = containers is null ? networks : new Networks.EventingNetworkService(networks, containers.Events);
        ContainerEndpoints? containerRoutes = containers is not null && images is not null ? new ContainerEndpoints(containers.Queries, containers.Lifecycle, containers.Streams, containers.Cgroups, images, networks, options.Daemon.Runtimes) : null;
        ContainerAttachEndpoints? attachRoutes = containerRoutes is null ? null : new ContainerAttachEndpoints(containers!.Queries, containers.Streams);
        ExecEndpoints? execRoutes = containerRoutes is not null ? new ExecEndpoints(containers!.Queries, containers.Execs) : null;
        ImageEndpoints? imageRoutes = images is not null ? new ImageEndpoints(images, containers?.Queries, TimeProvider.System, containers?.Events) : null;
        if (addresses.Count == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "no listen address: give at least one -H unix:///path or tcp://IP:PORT");
        }

        // The empty builder reads no configuration files and registers only what is added here: startup stays
        // in the tens of milliseconds, well inside the daemon's 500 ms budget for answering /_ping.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "berthd" });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (ListenAddress address in addresses)
            {
                if (address.SocketPath is { } path)
                {
                    SocketAccess.RemoveStale(path);
                    kestrel.ListenUnixSocket(path, listen => listen
                        .Use(AttachConnectionHandler.Middleware(() => attachRoutes is null ? null : attachRoutes.AttachAsync))
                        .Use(ExecConnectionHandler.Middleware(() => execRoutes)));
                }
                else if (options.Tls is { } tls)
                {
                    kestrel.Listen(address.EndPoint!, listen => listen.UseHttps(tls.HttpsOptions()));
                }
                else
                {
                    kestrel.Listen(address.EndPoint!);
                }
            }
        });
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            builder.Logging.AddProvider(logging);
        }

        WebApplication app = builder.Build();
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Berth.Api");

        var errors = new ApiErrorMiddleware(logger);
        var versions = new ApiVersionMiddleware($"Docker/{options.Daemon.Version} (linux)", options.MaxApiVersion, options.MinApiVersion);
        app.Use(errors.InvokeAsync);
        app.Use(versions.InvokeAsync);

        // Routing after the version middleware, so that it matches the path with /v1.NN removed.
        app.UseRouting();
        new SystemEndpoints(options, swarm).Map(app);
        if (swarm is not null)
        {
            new SwarmMode.SwarmEndpoints(swarm, networks, options.SwarmInitIngressWait).Map(app);
        }

        if (secrets is not null)
        {
            new SwarmMode.SecretAndConfigEndpoints(secrets).Map(app);
        }

        if (services is not null)
        {
            new Services.ServiceEndpoints(services).Map(app);
            new Services.TaskEndpoints(services).Map(app);
        }

        new NetworkEndpoints(networks, TimeProvider.System, containers is null ? null : network => Networks.NetworkContainersView.Of(containers.Queries, network), options.NetworkPeers, options.NetworkEncryption).Map(app);
        containerRoutes?.Map(app);
        imageRoutes?.Map(app);
        if (options.Builds is { } builds && OperatingSystem.IsLinux())
        {
            new BuildEndpoints(builds).Map(app);
        }

        attachRoutes?.Map(app);
        execRoutes?.Map(app);
        if (containerRoutes is not null)
        {
            new ContainerLogsEndpoint(containers!.Queries, containers.Streams).Map(app);
            new ContainerLifecycleEndpoints(containers.Lifecycle, TimeProvider.System).Map(app);
            new ContainerFilesEndpoints(containers.Files).Map(app);
            new ContainerCgroupEndpoints(containers.Cgroups).Map(app);
            new NetworkConnectEndpoints(containers.Networking).Map(app);
            new EventEndpoints(containers.Events).Map(app);
            new VolumeEndpoints(containers.Volumes, containers.Events).Map(app);
            ServiceLogs.ServiceLogsEndpoints.MapIfServed(app, containers, swarm, services, nodeChannel, logger);
        }

        if (doctor is not null)
        {
            new DoctorEndpoints(doctor).Map(app);
        }

        if (topology is not null)
        {
            new TopologyEndpoints(topology).Map(app);
        }

        // Last: Docker's routes that nothing above serves get Docker's answer for a node without the feature.
        UnservedRoutes.Map(app);

        return app;
    }

    /// <summary>Starts listening, then restricts the unix sockets (<see cref="SecureSockets"/>).</summary>
    public static async Task StartAsync(WebApplication app, BerthApiOptions options, CancellationToken cancellationToken = default)
    {
        await app.StartAsync(cancellationToken);
        SecureSockets(app, options);
    }

    /// <summary>
    /// After Kestrel has bound: every unix socket gets mode 0660 and group <see cref="BerthApiOptions.SocketGroup"/>
    /// when that group exists (else it stays root's).
    /// </summary>
    public static void SecureSockets(WebApplication app, BerthApiOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new BerthException(ErrorKind.NotSupported, "berthd runs on Linux only");
        }

        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Berth.Api");
        foreach (ListenAddress address in options.Hosts.Select(ListenAddress.Parse))
        {
            if (address.SocketPath is { } path)
            {
                string group = SocketAccess.Restrict(path, options.SocketGroup);
                ApiLog.SocketSecured(logger, path, group);
            }

            ApiLog.Listening(logger, address.Text);
        }
    }
}
