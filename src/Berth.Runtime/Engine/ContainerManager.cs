using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Containers;
using Berth.Network.Endpoints;
using Berth.Runtime.Containers;
using Berth.Core.Concurrency;
using Berth.Runtime.Engine.Naming;
using Berth.Runtime.Images;
using Berth.Runtime.Volumes;
using Berth.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Engine;

/// <summary>
/// Containers' lifecycle: create (a record), start (namespace wired by <see cref="ContainerNetworks"/>,
/// then runc through conmon), a watcher per running container that records its exit, stop, kill,
/// wait, remove, and adoption of running containers after a berthd restart. berthd is never the
/// parent of a container's process: conmon is.
/// </summary>
public sealed partial class ContainerManager : IAsyncDisposable, IContainerEngine, IContainerQueries, IContainerLifecycle, IContainerStreams, IExecSessions, IContainerNetworking, IContainerVolumes
{
    IContainerQueries IContainerEngine.Queries => this;

    IContainerLifecycle IContainerEngine.Lifecycle => this;

    IContainerStreams IContainerEngine.Streams => this;

    IExecSessions IContainerEngine.Execs => this;

    IContainerNetworking IContainerEngine.Networking => this;

    IContainerVolumes IContainerEngine.Volumes => this;

    private const string HostResolvConfPath = "/etc/resolv.conf";

    private readonly ContainerRepository _records;
    private readonly ImageStore _images;
    private readonly ContainerRuntime _runtime;
    private readonly ContainerNetworks _networks;
    private readonly EndpointManager _endpoints;
    private readonly string _root;
    private readonly ILogger _logger;
    /// <summary>
    /// Work on one container (start, stop's record, exit, remove, restart, connect, disconnect, rename) is
    /// serialised by that container's lock; different containers run in parallel, <c>runc create</c> included.
    /// Lock order: a container's lock before <see cref="_catalog"/>, never the other way; never two containers' locks.
    /// </summary>
    private readonly KeyedLock<string> _locks = new(StringComparer.Ordinal);

    /// <summary>
    /// Volumes across containers: a create (which makes its volumes and writes its record) and a volume's removal
    /// (refused while a record uses it) exclude each other. Held briefly, never across a start. Names need no lock:
    /// the store's claim keys make them unique (<see cref="ContainerRepository"/>).
    /// </summary>
    private readonly SemaphoreSlim _catalog = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Dictionary<string, TaskCompletionSource<int>> _exits = [];
    private readonly Dictionary<string, TaskCompletionSource> _removals = [];
    private readonly Dictionary<string, int> _logLeases = [];
    private readonly List<Task> _autoRemovals = [];
    private readonly TimeProvider _time;

    /// <summary>The records, a cache of the store's kept by <see cref="_records"/> (read without locks).</summary>
    private ImmutableDictionary<string, ContainerRecord> _containers => _records.Records;

    public ContainerManager(IStateStore store, ImageStore images, ContainerRuntime runtime, ContainerNetworks networks, EndpointManager endpoints, string root, ILogger? logger = null, TimeProvider? time = null, VolumeStore? volumes = null)
    {
        _volumes = volumes ?? new VolumeStore(store, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(root))!, "volumes"));
        _time = time ?? TimeProvider.System;
        _records = new ContainerRepository(store, WithExplicitEndpoints, logger);
        _images = images;
        _runtime = runtime;
        _networks = networks;
        _endpoints = endpoints;
        _root = root;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Loads the records; running containers are adopted again (or their exit, if it happened meanwhile, is recorded).</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken = default)
    {
        await _volumes.RestoreAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in await _records.LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (record.Status == ContainerStatus.Running)
            {
                await RestoreDnsAsync(record, cancellationToken).ConfigureAwait(false);
                Watch(record.Id);
                StartHealthMonitor(record);
            }
        }

        RestorePorts();
        StartRestartable();
    }

    public IReadOnlyList<ContainerRecord> List() => [.. _containers.Values.OrderByDescending(c => c.Created)];

    public ContainerRecord Get(string idOrName) => Find(idOrName);

    /// <summary>The endpoints of a running container, for inspect.</summary>
    public IReadOnlyList<EndpointState> EndpointsOf(string id) => _endpoints.OfContainer(id);

    public async Task<ContainerRecord> CreateAsync(ContainerCreateSpec spec, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var image = _images.Inspect(spec.Image);
        await _catalog.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            bool generated = name is null or "";
            string chosen = generated ? GenerateName() : ValidateName(name!.TrimStart('/'));

            // The cache answers the common case before volumes are made; the store's claim (at the write) decides.
            EnsureNameFree(chosen);

            SecurityOptions.Parse(spec.SecurityOpt);
            DnsServersOf(spec);
            var links = RegisterLinks(spec);
            Capabilities.Resolve(spec.CapAdd, spec.CapDrop);

            var config = image.Config.Config;
            var entrypoint = spec.Entrypoint ?? [.. config?.Entrypoint ?? []];
            var cmd = spec.Cmd ?? (spec.Entrypoint is null ? [.. config?.Cmd ?? []] : []);
            var record = new ContainerRecord
            {
                Id = id,
                Name = chosen,
                Created = DateTimeOffset.UtcNow,
                Spec = spec with { Endpoints = EffectiveEndpoints(spec) },
                ExplicitEndpoints = true,
                ImageId = image.Id,
                Command = [.. entrypoint, .. cmd],
                LegacyLinks = links,
            };
            if (record.Command.IsEmpty)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "No command specified");
            }

            record = record with { Mounts = await CreateMountsAsync(spec, image, cancellationToken).ConfigureAwait(false) };

            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    record = await _records.CreateAsync(record, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (BerthException e) when (generated && e.Kind == ErrorKind.Conflict && attempt < 8)
                {
                    // Another daemon sharing the store took the generated name since the cache saw it: draw again.
                    record = record with { Name = GenerateName() };
                }
            }

            Directory.CreateDirectory(Path.Combine(_root, record.Id));

            PublishTransition(null, record);
            return record;
        }
        finally
        {
            _catalog.Release();
        }
    }

    /// <summary>Starts a created or exited container; false when it was already running (Docker's 304).</summary>
    public async Task<bool> StartAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        string id = Find(idOrName).Id;
        using (await _locks.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var record = Find(id);
            if (record.Status is ContainerStatus.Running or ContainerStatus.Restarting)
            {
                return false;
            }

            try
            {
                await StartLockedAsync(record, byUser: true, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (record.Spec.AutoRemove)
            {
                // Docker removes a --rm container whose start failed: the CLI, waiting for "removed",
                // then prints this error and exits 127/126. The wait gets the start's exit code.
                CompleteExit(record.Id, ExecStartFailure.ExitCodeFor(e.Message));
                await RemoveLockedAsync(record.Id, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            return true;
        }
    }

    /// <summary>
    /// The one start path (a user's start, <c>docker restart</c>, the restart policy, berthd's own start):
    /// namespace wired with the container's networks (the addresses it had before asked for again), runc
    /// through conmon, the watcher. A start by the user resets the restart count and the manual stop.
    /// </summary>
    private async Task<ContainerRecord> StartLockedAsync(ContainerRecord record, bool byUser, CancellationToken cancellationToken)
    {
        if (record.Status is ContainerStatus.Exited or ContainerStatus.Restarting && _runtime.Runc.Exists(record.Id))
        {
            // A second run starts from a fresh bundle; the log is outside it and continues.
            await _runtime.DeleteAsync(record.Id, force: true, cancellationToken).ConfigureAwait(false);
        }

        // The container's directory (log, bundle, exec state): made at create, here again for a record that came
        // from the store without one (written by another daemon sharing it).
        Directory.CreateDirectory(Path.Combine(_root, record.Id));
        BoundLog(record.Id);
        var image = _images.Inspect(record.ImageId);
        var request = NetworkRequest(record);
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        _networks.SetDnsUpstreams(record.Id, DnsServersOf(record.Spec));
        var network = await _networks.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        ImmutableArray<Core.Ports.PublishedPort> published = [];
        try
        {
            var linked = await LinkedHostsAsync(record, network.Endpoints, strict: true, cancellationToken).ConfigureAwait(false);
            published = await PublishPortsAsync(record, cancellationToken).ConfigureAwait(false);
            var spec = ProcessSpecOf(record, image) with
            {
                Stdin = StdinModeOf(record.Spec),
                ConsoleSize = (record.Spec.ConsoleHeight, record.Spec.ConsoleWidth),
                LogPath = LogOf(record.Id),
                Labels = record.Spec.Labels.ToImmutableSortedDictionary(),
                NetworkNamespacePath = network.NamespacePath,
                HostNetwork = record.Spec.NetworkMode.IsHost,
                Hosts = HostsFor(record, network.Endpoints, linked),
                ResolvConf = ResolvConfFor(record),
                ReadOnlyRootfs = record.Spec.ReadonlyRootfs,
                Binds = BindsOf(record),
            };
            if (byUser)
            {
                ResetRestartManager(record.Id);
            }

            var started = await _runtime.CreateAsync(spec, BundleOf(record.Id), cancellationToken).ConfigureAwait(false);
            long t2 = System.Diagnostics.Stopwatch.GetTimestamp();
            await _runtime.StartAsync(record.Id, cancellationToken).ConfigureAwait(false);
            long t3 = System.Diagnostics.Stopwatch.GetTimestamp();
            var startedAt = DateTimeOffset.UtcNow;
            var addresses = AddressesOf(request, network.Endpoints);
            await PublishEndpointEventsAsync(record.Id, network.Endpoints, "connect").ConfigureAwait(false);
            record = await SaveAsync(record.Id, r => r with
            {
                Status = ContainerStatus.Running,
                Pid = started.ContainerPid,
                StartedAt = startedAt,
                ExitCode = 0,
                FinishedAt = null,
                RestartCount = byUser ? 0 : r.RestartCount,
                ManuallyStopped = !byUser && r.ManuallyStopped,
                LastAddresses = addresses,
                Ports = published,
            }, cancellationToken).ConfigureAwait(false);
            StartTimings(_logger, record.ShortId, Ms(t0, System.Diagnostics.Stopwatch.GetTimestamp()), Ms(t0, t1), Ms(t1, t2), Ms(t2, t3), Ms(t3, System.Diagnostics.Stopwatch.GetTimestamp()));
            Watch(record.Id);
            StartHealthMonitor(record);
            return record;
        }
        catch
        {
            _networks.Withdraw(record.Id, published);
            await _networks.ReleaseAsync(record.Id, record.Name, CancellationToken.None).ConfigureAwait(false);
            if (_runtime.Runc.Exists(record.Id))
            {
                await _runtime.DeleteAsync(record.Id, force: true, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Running containers keep running: conmon, not berthd, is their parent. Removals of --rm
        // containers that already exited are finished first, so that none is left half-removed.
        Task[] removals;
        lock (_autoRemovals)
        {
            removals = [.. _autoRemovals];
        }

        await Task.WhenAny(Task.WhenAll(removals), Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        await StopHealthMonitorsAsync().ConfigureAwait(false);
        await StopExecsAsync().ConfigureAwait(false);
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _shutdown.Dispose();
        await _records.DisposeAsync().ConfigureAwait(false);
        _catalog.Dispose();
    }

    /// <summary>What the container's process is (command, environment, user, directory, terminal, privileges): for its start and for its execs.</summary>
    private static ContainerSpec ProcessSpecOf(ContainerRecord record, ImageDetails image)
    {
        var security = SecurityOptions.Parse(record.Spec.SecurityOpt);
        return new ContainerSpec
        {
            Id = record.Id,
            Runtime = record.Spec.Runtime,
            Layers = [.. image.LayerDirectories.Reverse()],
            Cmd = record.Command,
            Env = [.. image.Config.Config?.Env ?? [], .. record.Spec.Env],
            WorkingDir = record.Spec.WorkingDir ?? image.Config.Config?.WorkingDir ?? "",
            User = record.Spec.User ?? image.Config.Config?.User ?? "",
            Tty = record.Spec.Tty,
            Hostname = HostnameOf(record),
            Seccomp = security.Seccomp,
            NoNewPrivileges = security.NoNewPrivileges,
            Capabilities = [.. Capabilities.Resolve(record.Spec.CapAdd, record.Spec.CapDrop).Intersect(Capabilities.Bounding())],
            Privileged = record.Spec.Privileged,
        };
    }

    private static string HostnameOf(ContainerRecord record) => record.Spec.Hostname is { Length: > 0 } h ? h : record.ShortId;

    /// <summary>
    /// Writes a change of the record (compare-and-swap; on a conflict the change is applied again to the stored
    /// record) and publishes the transition. Only the holder of the container's lock saves it: before and after are
    /// consistent for the events.
    /// </summary>
    private async Task<ContainerRecord> SaveAsync(string id, Func<ContainerRecord, ContainerRecord> change, CancellationToken cancellationToken)
    {
        var before = _containers.GetValueOrDefault(id);
        var after = await _records.UpdateAsync(id, change, cancellationToken).ConfigureAwait(false);
        if (before is not null)
        {
            PublishTransition(before, after);
        }

        return after;
    }

    private ContainerNetworkRequest NetworkRequest(ContainerRecord record)
    {
        var mode = record.Spec.NetworkMode;
        string? join = null;
        if (mode.IsContainer)
        {
            var other = Find(mode.Target!);
            join = other.Status == ContainerStatus.Running ? $"/proc/{other.Pid}/ns/net" : null;
        }

        var endpoints = EffectiveEndpoints(record);
        return new ContainerNetworkRequest
        {
            ContainerId = record.Id,
            ContainerName = record.Name,

            // A container disconnected from every network gets a namespace with only lo: the network layer
            // reads no endpoints as "the network the mode names", so such a start is asked for as none.
            NetworkMode = (mode.ImpliedNetwork is not null && endpoints.IsEmpty ? NetworkMode.None : mode).ToString(),
            JoinNamespacePath = join,
            Endpoints = [.. endpoints.Select(e => EndpointRequestFor(record, e))],
        };
    }

    private static string ResolvConfFor(ContainerRecord record)
    {
        string hostFile = File.Exists(HostResolvConfPath) ? File.ReadAllText(HostResolvConfPath) : "";
        var mode = record.Spec.NetworkMode;
        var own = record.Spec;
        if (mode.IsHost && own.Dns.IsEmpty && own.DnsSearch.IsEmpty && own.DnsOptions.IsEmpty)
        {
            return hostFile;
        }

        return ResolvConf.Render(ResolvConf.Parse(hostFile), mode.IsUserDefined, own.Dns, own.DnsSearch, own.DnsOptions);
    }

    /// <summary><c>--dns</c> as addresses; anything else is a 400 naming it.</summary>
    private static IPAddress[] DnsServersOf(ContainerCreateSpec spec) =>
        [.. spec.Dns.Select(text => IPAddress.TryParse(text, out var address)
            ? address
            : throw new BerthException(ErrorKind.InvalidArgument, $"invalid --dns \"{text}\": not an IP address"))];

    private string BundleOf(string id) => Path.Combine(_root, id, "bundle");

    /// <summary>Docker's lookup: full id, then name, then a unique id prefix (an ambiguous one is a 400).</summary>
    private ContainerRecord Find(string idOrName) =>
        Core.Naming.ObjectResolver.Resolve(Core.Naming.ObjectKind.Container, idOrName.TrimStart('/'), _containers.Values, c => c.Id, (c, name) => c.Name == name)
            .GetOrThrow(idOrName);

    private static string ValidateName(string name)
    {
        if (name.Length < 2 || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }

        return name;
    }

    private string GenerateName() => ContainerNameGenerator.Generate(name => _containers.Values.Any(c => c.Name == name));

    private static double Ms(long from, long to) => Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(from, to).TotalMilliseconds, 1);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Debug, Message = "container {Id} started in {TotalMs} ms: network {NetworkMs} ms, runc create {CreateMs} ms, runc start {StartMs} ms, record {SaveMs} ms")]
    private static partial void StartTimings(ILogger logger, string id, double totalMs, double networkMs, double createMs, double startMs, double saveMs);

    [LoggerMessage(EventId = 5300, Level = LogLevel.Warning, Message = "watching container {Id} failed: {Message}")]
    private static partial void WatchFailed(ILogger logger, string id, string message);
}
