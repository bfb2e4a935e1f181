using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Api;
using Berth.Diagnostics;
using Berth.Diagnostics.Doctor;
using Berth.Diagnostics.Topology;
using Berth.Api.Hosting;
using Berth.Api.ServiceLogs;
using Berth.Api.SwarmMode;
using Berth.Cluster.Identity;
using Berth.Cluster.NodeChannel;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Network.Services;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Cluster;
using Berth.Network.Drivers;
using Berth.Network.Overlay;
using Berth.Network.Overlay.Sealed;
using Berth.Network.Containers;
using Berth.Network.Dns;
using Berth.Network.Endpoints;
using Berth.Network.Ingress;
using Berth.Build.Engine;
using Berth.Runtime.Build;
using Berth.Runtime.Containers;
using Berth.Runtime.Engine;
using Berth.Runtime.Images;
using Berth.Runtime.Volumes;
using Berth.Network.Firewall;
using Berth.Network.Ports;
using Berth.Network.Ipam;
using Berth.Network.Networks;
using Berth.Network.Persistence;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>
/// The composition root: the lock on --root, the state store, the host namespace, the firewall,
/// the drivers, the network manager (which reconciles), then the API. SIGTERM or SIGINT stops the
/// API and releases everything; networks and their kernel objects stay, as Docker's do.
/// </summary>
internal static class Daemon
{
    private const string DaemonIdKey = "daemon/id";

    /// <summary>
    /// How often berthd checks that its accept rules are still in other tools' forward chains (iptables, Docker,
    /// firewalld) after they reload their rules: a few small nft listings, so a reload cuts Berth's forwarding for at
    /// most this long. See docs/networks.md, "Living beside iptables, Docker and firewalld".
    /// </summary>
    private static readonly TimeSpan ForeignFirewallCheckInterval = TimeSpan.FromSeconds(2);
    /// <summary>Docker's <c>NanoCPUs</c>: billionths of a CPU.</summary>
    private const long NanosPerCpu = 1_000_000_000;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static async Task<int> RunAsync(DaemonOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(options.LogLevel)
            .AddFilter("Microsoft", options.LogLevel <= LogLevel.Debug ? options.LogLevel : LogLevel.Warning)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
            }));
        var logger = loggerFactory.CreateLogger("berthd");

        // --userns-remap: everything (store, images, containers, volumes) under --root/UID.GID, the files owned by shifted ids.
        IdentityMapping? remap = null;
        if (options.UsernsRemap is { } requested)
        {
            remap = UsernsRemapSetup.Prepare(requested, options.Root, logger);
            options = options with { Root = Path.Combine(options.Root, remap.DirectoryName) };
        }
        else
        {
            Directory.CreateDirectory(options.Root, PrivateDirectory);
        }

        using var rootLock = StoreLock.Acquire(options.Root);
        Directory.CreateDirectory(options.ExecRoot, PrivateDirectory | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        await using var store = await SqliteStateStore.OpenAsync(Path.Combine(options.Root, "berth.db"), loggerFactory.CreateLogger<SqliteStateStore>(), cancellationToken).ConfigureAwait(false);
        string daemonId = await DaemonIdAsync(store, cancellationToken).ConfigureAwait(false);

        using var host = NetworkNamespace.Host(logger: loggerFactory.CreateLogger("netlink"));
        INetworkFirewall firewall = options.Firewall == FirewallMode.Nftables
            ? new NftablesNetworkFirewall(host.Nft, loggerFactory.CreateLogger<NftablesNetworkFirewall>(), ForeignFirewallCheckInterval)
            : DisabledFirewall.Instance;
        using var firewallChecks = firewall as IDisposable;
        firewall.Initialize();
        if (options.Firewall == FirewallMode.Nftables)
        {
            // Containers on bridges reach the outside through the host: Docker turns forwarding on too.
            host.Sysctls.SetIPv4Forwarding(true);
        }

        await using var reaper = new LinkReaper(host, loggerFactory.CreateLogger<LinkReaper>());
        reaper.SweepLeftovers();
        var namespaces = new NamespaceManager(Path.Combine(options.ExecRoot, "netns"));
        namespaces.RemoveOrphanUserNamespaces();
        // The cluster as the network layer sees it: set while this node is in a swarm (below), read by the overlay driver.
        var clusterLinks = new ClusterLinkSource();
        var remoteEndpoints = new RemoteEndpointTable();
        // Encrypted overlays: sealed in user space (this kernel has no IPsec), with the cluster's key ring followed from the store.
        using var sealedPath = new SealedPath(host, OverlayKeyFollower.Grace(options.OverlayKeyRotation), logger: loggerFactory.CreateLogger<SealedPath>());
        await using var overlayKeys = new OverlayKeyFollower(sealedPath.SetRing, options.OverlayKeyRotation, logger: loggerFactory.CreateLogger<OverlayKeyFollower>());
        using var sandboxes = new OverlaySandboxes(host, namespaces, loggerFactory.CreateLogger<OverlaySandboxes>(), sealedPath);
        // The one place that lists network drivers; everything else asks the registry and the drivers' capabilities.
        var drivers = new NetworkDriverRegistry(
        [
            new BridgeDriver(host, firewall, reaper),
            new MacvlanDriver(host, reaper),
            new FixedNetworkDriver(NetworkDrivers.Host),
            new FixedNetworkDriver(NetworkDrivers.Null),
            new OverlayDriver(host, sandboxes, clusterLinks, remoteEndpoints, encryption: true),
        ]);
        var ipam = options.DefaultAddressPools.IsEmpty ? new NetworkIpam() : new NetworkIpam(options.DefaultAddressPools);
        using var networks = new NetworkManager(new NetworkRepository(store), ipam, drivers, host, TimeProvider.System, loggerFactory.CreateLogger<NetworkManager>());
        await networks.StartAsync(cancellationToken).ConfigureAwait(false);
        using var endpoints = new EndpointManager(networks, store, loggerFactory.CreateLogger<EndpointManager>());
        await endpoints.RestoreAsync(cancellationToken).ConfigureAwait(false);

        // Containers: images under --root, runtime state (runc, exit files, namespaces) under --exec-root.
        using var images = new ImageStore(Path.Combine(options.Root, "images"), loggerFactory.CreateLogger<ImageStore>(), idMapping: remap, endpoints: options.Registries);
        using var runtime = new ContainerRuntime(ContainerRuntimeOptions.Under(Path.Combine(options.ExecRoot, "runtime")) with
        {
            LogSizeMax = options.ContainerLogSizeMax,
            Runtimes = options.Runtimes,
            UserNamespace = remap,
        }, loggerFactory.CreateLogger<ContainerRuntime>());

        // One embedded DNS resolver for all containers; its forwarding sockets are berthd's own, so loopback upstreams work.
        using var forwarder = new DnsForwarder(DnsUpstreams(options), logger: loggerFactory.CreateLogger<DnsForwarder>());
        await using var dns = new DnsServer(new DnsRegistry(), forwarder, namespaces.Runner, loggerFactory.CreateLogger<DnsServer>());
        var containerDns = new ContainerDns(dns, endpoints, loggerFactory.CreateLogger<ContainerDns>());
        await using var clusterEndpoints = new ClusterEndpoints(networks, remoteEndpoints, dns.Registry, loggerFactory.CreateLogger<ClusterEndpoints>());
        // Services' names and VIPs on swarm-scoped networks: bindings from the cluster store joined with their backends,
        // answered by the resolver and balanced in each client container's namespace.
        await using var serviceTable = ServiceTable.Following(clusterEndpoints, loggerFactory.CreateLogger<ServiceTable>());
        new ServiceNames(dns.Registry).Follow(serviceTable);
        using var loadBalancer = new ServiceLoadBalancer(serviceTable, loggerFactory.CreateLogger<ServiceLoadBalancer>());
        // The routing mesh: this node's entry into the ingress network, its published ports, its tasks' return paths.
        using var ingressMesh = new IngressMesh(host);
        await using var ingress = new IngressController(networks, endpoints, clusterEndpoints, serviceTable, host, ingressMesh, loggerFactory.CreateLogger<IngressController>(), firewall);
        // Published ports: host ports held by berthd's own bound sockets, forwarded by DNAT map elements.
        using var hostPorts = new HostPortAllocator();
        var publisher = new PortPublisher(firewall, hostPorts);
        // Volumes: Docker's local driver, <root>/volumes/<name>/_data.
        using var volumes = new VolumeStore(store, Path.Combine(options.Root, "volumes"), loggerFactory.CreateLogger<VolumeStore>()) { IdMapping = remap };
        await volumes.RestoreAsync(cancellationToken).ConfigureAwait(false);
        var containerNetworks = new ContainerNetworks(namespaces, endpoints, containerDns, publisher, new GatewayBridge(networks), loadBalancer, ingress) { UserNamespace = remap };
        await using var containers = await ComposeEngineAsync(store, images, runtime, containerNetworks,
            endpoints, volumes, Path.Combine(options.Root, "containers"), options.LogConfig, loggerFactory, cancellationToken).ConfigureAwait(false);

        // Builds (docker's classic builder): step snapshots, unpacked contexts and the cache index under <root>/builds;
        // a crashed build's snapshots, contexts and network endpoints are swept before the API answers.
        string buildRoot = Path.Combine(options.Root, "builds");
        var buildWorkspace = new BuildWorkspace(Path.Combine(buildRoot, "steps"), images, runtime, loggerFactory.CreateLogger<BuildWorkspace>());
        await buildWorkspace.SweepAsync(cancellationToken).ConfigureAwait(false);
        BuildContextDirectory.Sweep(Path.Combine(buildRoot, "contexts"));
        var buildNetworks = new BuildNetworks(containerNetworks, endpoints, namespaces, loggerFactory.CreateLogger<BuildNetworks>());
        await buildNetworks.ReleaseLeftoversAsync(cancellationToken).ConfigureAwait(false);
        var builds = new BuildBackend(
            new ImageBuilder(images, buildWorkspace, new BuildCache(Path.Combine(buildRoot, "cache.json"), images), buildNetworks, loggerFactory.CreateLogger<ImageBuilder>()),
            Path.Combine(buildRoot, "contexts"));

        var apiOptions = new BerthApiOptions
        {
            Builds = builds,
            Hosts = options.Hosts,
            Tls = options.Tls,
            Daemon = DaemonFacts.Detect(options.Root, daemonId) with { Runtimes = options.Runtimes, LoggingDriver = options.LogConfig.Type, UsernsRemap = remap is not null,
                InsecureRegistryCidrs = options.Registries.InsecureCidrs, InsecureRegistryNames = options.Registries.InsecureNames },
            NetworkPeers = network => clusterEndpoints.PeersOf(network.Id, endpoints.OfNetwork(network.Id).Count > 0),
            NetworkEncryption = network => sealedPath.Counters(network.Id),
            SwarmInitIngressWait = TimeSpan.FromSeconds(10),
        };
        using var logging = new FactoryLoggerProvider(loggerFactory);

        // The swarm: back into it if this node was in one (in the background: the API answers meanwhile).
        var swarmHost = new SwarmHostFacts
        {
            Hostname = apiOptions.Daemon.HostName,
            EngineVersion = apiOptions.Daemon.Version,
            NanoCpus = apiOptions.Daemon.CpuCount * NanosPerCpu,
            MemoryBytes = apiOptions.Daemon.MemoryBytes,
        };
        var clusterBackend = new EtcdClusterBackend(loggerFactory, externalStore: options.ClusterStore);
        await using var swarm = new SwarmNode(SwarmPaths.Under(options.Root), swarmHost, clusterBackend,
            new JoinServiceHost(logging), TimeProvider.System, loggerFactory.CreateLogger<SwarmNode>());
        // Declared after the swarm, so disposed before it: this node's endpoint records outlive a berthd restart (their
        // lease lapses only if it does not come back), while `swarm leave` withdraws them at once.
        await using var clusterNetworking = new ClusterNetworking(networks, endpoints, clusterEndpoints, clusterLinks, containerDns, loggerFactory.CreateLogger<ClusterNetworking>(), serviceTable, ingress, overlayKeys);
        await using var clusterFollower = new ClusterLinkFollower(swarm, clusterBackend, clusterNetworking, daemonId, loggerFactory.CreateLogger<ClusterLinkFollower>());
        clusterFollower.Start();
        // Services: the agent on every node, the manager's side and the leader's orchestrator on managers (with the swarm's sessions).
        // Tasks' secrets and configs: a tmpfs per task under the exec root (never on disk).
        await using var services = new SwarmServices(swarm, containers.Engine, new NetworkLayerServiceNetworking(networks, new ClusterServiceAddresses(networks), endpoints, clusterNetworking),
            TimeProvider.System, loggerFactory, SwarmPaths.Under(options.Root), Path.Combine(options.ExecRoot, "task-files"),
            new TaskImages(images.Has, (image, credentials, cancellationToken) => images.PullAsync(image, null, credentials, cancellationToken)));
        services.Start();
        // The node channel (TCP 7946, mutual TLS): other nodes read this node's tasks' logs through it.
        await using var nodeChannel = new NodeChannelSession(swarm, SwarmPaths.Under(options.Root),
            new NodeChannelHost(containers.Engine.Queries, containers.Engine.Streams, logging, services), loggerFactory.CreateLogger<NodeChannelSession>());
        nodeChannel.Start();
        swarm.Start();
        // berth doctor and the topology: read-only views of all the above.
        var diagnostics = new DiagnosticSources
        {
            Networks = networks,
            Containers = containers.Engine.Queries,
            Host = host,
            Drivers = drivers,
            Firewall = firewall,
            Swarm = swarm,
            EtcdMembers = swarm.ProbeMemberAsync,
            Services = services,
            NetworkPeers = apiOptions.NetworkPeers,
            RemoteEndpoints = remoteEndpoints.Of,
            DnsUpstreams = [.. DnsUpstreams(options)],
            DhcpLeaseFiles = options.DhcpLeaseFiles.IsEmpty ? DiagnosticSources.DefaultDhcpLeaseFiles : options.DhcpLeaseFiles,
        };
        var doctor = new Doctor(diagnostics, Doctor.DefaultChecks(), loggerFactory.CreateLogger<Doctor>());
        var topology = new TopologyBuilder(diagnostics, loggerFactory.CreateLogger<TopologyBuilder>());
        await using var app = BerthApi.Build(apiOptions, networks, containers.Engine, images, swarm, services, logging, nodeChannel, services, doctor, topology);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string signal = "cancelled";
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            signal = "SIGTERM";
            stop.Cancel();
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            signal = "SIGINT";
            stop.Cancel();
        });

        await BerthApi.StartAsync(app, apiOptions, cancellationToken).ConfigureAwait(false);
        string pidFile = Path.Combine(options.ExecRoot, "berthd.pid");
        await File.WriteAllTextAsync(pidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n", cancellationToken).ConfigureAwait(false);
        DaemonLog.Ready(logger, apiOptions.Daemon.Version, string.Join(", ", options.Hosts), clock.Elapsed.TotalMilliseconds, options.Root, options.Firewall);
        foreach (string clear in options.UnauthenticatedTcp)
        {
            DaemonLog.UnauthenticatedTcp(logger, clear);
        }

        await using var trimmer = new IdleMemoryTrimmer(IdleTrimPolicy.Default, loggerFactory.CreateLogger<IdleMemoryTrimmer>());
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            DaemonLog.ShuttingDown(logger, signal);
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        File.Delete(pidFile);
        DaemonLog.Stopped(logger);
        return 0;
    }

    /// <summary>
    /// The container engine, one service per job, each given what it uses; then the records loaded and running
    /// containers adopted. Disposed in the reverse order of making: the runner (pending --rm removals, watchers)
    /// first, the records' watch last.
    /// </summary>
    private static async Task<ComposedEngine> ComposeEngineAsync(IStateStore store, ImageStore images, ContainerRuntime runtime, ContainerNetworks containerNetworks,
        EndpointManager endpoints, VolumeStore volumeStore, string root, Berth.Runtime.Logging.LogConfig logConfig, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var hub = new EventHub();
        var events = new ContainerEvents(hub);
        volumeStore.Observer = (action, volume) => events.Volume(action, volume.Name);
        var directories = new ContainerDirectories(root);
        var slots = new ContainerSlots();
        var records = new ContainerRecords(new ContainerRepository(store, logger: loggers.CreateLogger<ContainerRepository>()), events);
        var processes = new ContainerProcesses(images, runtime, directories);
        var streams = new ContainerStreams(records, runtime, directories, logConfig, loggers.CreateLogger<ContainerStreams>());
        var volumes = new ContainerVolumes(records, volumeStore, loggers.CreateLogger<ContainerVolumes>());
        var execs = new ExecSessions(records, processes, events, loggers.CreateLogger<ExecSessions>());
        var health = new HealthMonitors(records, processes, events, loggers.CreateLogger<HealthMonitors>(),
            rotation: new ServiceRotation(endpoints, loggers.CreateLogger<ServiceRotation>()));
        var restarts = new RestartManager(records, slots, loggers.CreateLogger<RestartManager>());
        var links = new ContainerLinks(records, endpoints);
        var ports = new ContainerPorts(images, containerNetworks, loggers.CreateLogger<ContainerPorts>());
        var attachments = new NetworkAttachments(containerNetworks, endpoints, links, ports, events, directories, images, loggers.CreateLogger<NetworkAttachments>());
        var cgroups = new ContainerCgroupCache();
        var runner = new ContainerRunner(records, slots, runtime, processes, attachments, volumes, streams, health, restarts, execs, events, directories, cgroups, loggers.CreateLogger<ContainerRunner>());
        var engine = new ContainerEngine(
            new ContainerQueries(records, endpoints, ports, health, links),
            new ContainerLifecycle(records, slots, images, runtime, runner, restarts, volumes, links, attachments, events, directories),
            streams,
            execs,
            new ContainerNetworking(records, slots, containerNetworks, endpoints, attachments, ports, events, loggers.CreateLogger<ContainerNetworking>()),
            volumes,
            new ContainerFiles(records, slots, directories, images, events, runtime),
            new ContainerCgroups(records, slots, runtime, cgroups, events),
            hub);
        var composed = new ComposedEngine(engine, [runner, restarts, health, execs, volumes, records]);
        try
        {
            await runner.RestoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await composed.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return composed;
    }

    /// <summary>The embedded resolver's upstreams: <c>--dns</c>, else the host's /etc/resolv.conf nameservers (loopback ones included).</summary>
    private static IEnumerable<IPEndPoint> DnsUpstreams(DaemonOptions options)
    {
        const int DnsPort = 53;
        const string HostResolvConf = "/etc/resolv.conf";
        var servers = !options.Dns.IsEmpty
            ? options.Dns
            : File.Exists(HostResolvConf) ? ResolvConf.Parse(File.ReadAllText(HostResolvConf)).Nameservers : [];
        return servers.Select(address => new IPEndPoint(address, DnsPort));
    }

    /// <summary>This daemon's id: made once per --root, kept in the store.</summary>
    private static async Task<string> DaemonIdAsync(IStateStore store, CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(DaemonIdKey, cancellationToken).ConfigureAwait(false);
        if (entry is not null)
        {
            return Encoding.UTF8.GetString(entry.Value.Span);
        }

        string id = NetworkId.New().Value;
        await store.PutAsync(DaemonIdKey, Encoding.UTF8.GetBytes(id), cancellationToken).ConfigureAwait(false);
        return id;
    }
}
