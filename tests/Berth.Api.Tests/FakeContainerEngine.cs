using Berth.Core.Containers;
using System.Collections.Immutable;
using System.Security.Cryptography;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Core.Ports;
using Berth.Network.Endpoints;
using Berth.Runtime.Containers;
using Berth.Runtime.Engine;
using Berth.Runtime.Images;
using Berth.Runtime.Volumes;
using Berth.Store;
using ContainerStatus = Berth.Runtime.Engine.ContainerStatus;

namespace Berth.Api.Tests;

/// <summary>
/// An in-memory <see cref="IContainerEngine"/>: records in a dictionary, lifecycle as state changes (no processes),
/// exec sessions that are created and inspected but never run, and named volumes in a real <see cref="VolumeStore"/>
/// over an <see cref="InMemoryStateStore"/> in a temporary directory. Messages are the real engine's (Docker's).
/// What the routes passed (timeouts, signals, flags) is recorded for the tests to check.
/// </summary>
internal sealed class FakeContainerEngine : IContainerEngine, IContainerQueries, IContainerLifecycle, IContainerStreams, IExecSessions, IContainerNetworking, IContainerVolumes, IDisposable
{
    private readonly Dictionary<string, ContainerRecord> _containers = [];
    private readonly Dictionary<string, ExecState> _execs = [];
    private readonly Lock _lock = new();
    private FakeContainerCgroups? _cgroups;
    private readonly ImageStore _images;
    private readonly string _root;
    private int _nameCounter;

    public FakeContainerEngine(ImageStore images, string root)
    {
        _images = images;
        _root = root;
        Volumes = new VolumeStore(new InMemoryStateStore(), Path.Combine(root, "volumes"));
    }

    /// <summary>Every call the routes made, in order: <c>stop id 3s</c>, <c>kill id HUP</c>, <c>rm id force=True v=False</c>, …</summary>
    public List<string> Calls { get; } = [];

    public IContainerQueries Queries => this;

    public IContainerLifecycle Lifecycle => this;

    public IContainerStreams Streams => this;

    public IExecSessions Execs => this;

    public IContainerNetworking Networking => this;

    IContainerVolumes IContainerEngine.Volumes => this;

    /// <summary>In-memory files of every container (see <see cref="FakeContainerFiles"/>).</summary>
    public FakeContainerFiles Files { get; } = new();

    IContainerFiles IContainerEngine.Files => Files;

    public EventHub Events { get; } = new();

    public IContainerCgroups Cgroups => _cgroups ??= new FakeContainerCgroups(this);

    public VolumeStore Volumes { get; }

    public IReadOnlyList<ContainerRecord> List()
    {
        lock (_lock)
        {
            return [.. _containers.Values.OrderByDescending(c => c.Created).ThenByDescending(c => c.Id.Value, StringComparer.Ordinal)];
        }
    }

    public ContainerRecord Get(string idOrName)
    {
        lock (_lock)
        {
            string key = idOrName.TrimStart('/');
            if (_containers.TryGetValue(key, out var byId))
            {
                return byId;
            }

            if (_containers.Values.FirstOrDefault(c => c.Name == key) is { } byName)
            {
                return byName;
            }

            var byPrefix = key.Length == 0 ? [] : _containers.Values.Where(c => c.Id.Value.StartsWith(key, StringComparison.Ordinal)).ToList();
            return byPrefix.Count == 1 ? byPrefix[0] : throw new BerthException(ErrorKind.NotFound, $"No such container: {idOrName}");
        }
    }

    public ContainerRecord? TryGet(ContainerId id)
    {
        lock (_lock)
        {
            return _containers.GetValueOrDefault(id.Value);
        }
    }

    /// <summary>The endpoints <see cref="EndpointsOf"/> reports, by container id; none unless a test sets them.</summary>
    public Dictionary<string, IReadOnlyList<EndpointState>> Endpoints { get; } = [];

    public IReadOnlyList<EndpointState> EndpointsOf(ContainerId id)
    {
        lock (_lock)
        {
            return Endpoints.GetValueOrDefault(id.Value) ?? [];
        }
    }

    public IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> EndpointsOn(NetworkId network) => [];

    public ImmutableArray<ContainerPort> ExposedPortsOf(ContainerRecord record) => record.Spec.ExposedPorts;

    public HealthState? HealthOf(ContainerId id) => null;

    public IReadOnlyList<string>? LegacyLinksOf(ContainerRecord record) => null;

    /// <summary>Adds a record directly (for list ordering and prefix tests), as the engine would after a create.</summary>
    public ContainerRecord Add(ContainerRecord record)
    {
        lock (_lock)
        {
            _containers[record.Id.Value] = record;
            return record;
        }
    }

    public async Task<ContainerRecord> CreateAsync(ContainerCreateSpec spec, string? name, CancellationToken cancellationToken = default)
    {
        var image = _images.Inspect(spec.Image);
        var mounts = new List<MountPoint>();
        foreach (string bind in spec.Binds)
        {
            string[] parts = bind.Split(':');
            if (parts.Length >= 2 && !parts[0].StartsWith('/'))
            {
                var volume = await Volumes.CreateAsync(parts[0], cancellationToken: cancellationToken);
                mounts.Add(new MountPoint { Type = MountSpec.VolumeType, Name = volume.Name, Source = Volumes.MountpointOf(volume.Name), Destination = parts[1], Driver = "local" });
            }
        }

        lock (_lock)
        {
            string chosen = name is null or "" ? $"fake_{++_nameCounter}" : name.TrimStart('/');
            if (_containers.Values.FirstOrDefault(c => c.Name == chosen) is { } owner)
            {
                throw new BerthException(ErrorKind.Conflict,
                    $"Conflict. The container name \"/{chosen}\" is already in use by container \"{owner.Id}\". You have to remove (or rename) that container to be able to reuse that name.");
            }

            var config = image.Config.Config;
            var entrypoint = spec.Entrypoint ?? [.. config?.Entrypoint ?? []];
            var cmd = spec.Cmd ?? (spec.Entrypoint is null ? [.. config?.Cmd ?? []] : []);
            var record = new ContainerRecord
            {
                Id = ContainerId.New(),
                Name = chosen,
                Created = DateTimeOffset.UtcNow,
                Spec = spec,
                ImageId = image.Id,
                Command = [.. entrypoint, .. cmd],
                Mounts = [.. mounts],
            };
            if (record.Command.IsEmpty)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "No command specified");
            }

            _containers[record.Id.Value] = record;
            return record;
        }
    }

    public Task<bool> StartAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var record = Get(idOrName);
        Calls.Add($"start {record.Id}");
        if (record.Status == ContainerStatus.Running)
        {
            return Task.FromResult(false);
        }

        Replace(record with { Status = ContainerStatus.Running, Pid = 4242, StartedAt = DateTimeOffset.UtcNow, ExitCode = 0 });
        return Task.FromResult(true);
    }

    public Task StopAsync(string idOrName, TimeSpan? timeout, string? signal = null, CancellationToken cancellationToken = default)
    {
        var record = Get(idOrName);
        Calls.Add($"stop {record.Id} {(timeout is { } t ? t.TotalSeconds + "s" : "default")}{(signal is null ? "" : " " + signal)}");
        if (record.Status == ContainerStatus.Running)
        {
            Exit(record, 143);
        }

        return Task.CompletedTask;
    }

    public Task KillAsync(string idOrName, string signal, CancellationToken cancellationToken = default)
    {
        var record = Get(idOrName);
        if (record.Status is not (ContainerStatus.Running or ContainerStatus.Restarting))
        {
            throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        }

        Calls.Add($"kill {record.Id} {signal}");
        Exit(record, 137);
        return Task.CompletedTask;
    }

    public async Task RestartAsync(string idOrName, TimeSpan? timeout, string? signal = null, CancellationToken cancellationToken = default)
    {
        await StopAsync(idOrName, timeout, signal, cancellationToken);
        await StartAsync(idOrName, cancellationToken);
    }

    public Task<int> WaitAsync(string idOrName, string condition, CancellationToken cancellationToken = default)
    {
        var record = Get(idOrName);
        Calls.Add($"wait {record.Id} {condition}");
        return condition switch
        {
            "" or "not-running" or "next-exit" or "removed" when record.Status != ContainerStatus.Running => Task.FromResult(record.ExitCode),
            "" or "not-running" or "next-exit" or "removed" => throw new BerthException(ErrorKind.Unavailable, "the fake engine's containers never exit by themselves"),
            _ => throw new BerthException(ErrorKind.InvalidArgument, $"invalid condition: \"{condition}\"; use next-exit, not-running or removed"),
        };
    }

    public Task RemoveLinkAsync(string linkName, CancellationToken cancellationToken = default)
    {
        Calls.Add($"rm --link {linkName}");
        return Task.CompletedTask;
    }

    /// <summary>Removes what is not running and matches, in creation order; each removed container counts 1 byte.</summary>
    public Task<ContainerPruneResult> PruneAsync(Func<ContainerRecord, bool> matches, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var pruned = _containers.Values.Where(c => c.Status is ContainerStatus.Created or ContainerStatus.Exited && matches(c)).OrderBy(c => c.Created).ToList();
            foreach (var record in pruned)
            {
                _containers.Remove(record.Id.Value);
            }

            Events.Publish("container", "prune", "", new Dictionary<string, string> { ["reclaimed"] = pruned.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            return Task.FromResult(new ContainerPruneResult([.. pruned.Select(c => c.Id.Value)], pruned.Count));
        }
    }

    public async Task RemoveAsync(string idOrName, bool force, bool removeVolumes, CancellationToken cancellationToken = default)
    {
        var record = Get(idOrName);
        Calls.Add($"rm {record.Id} force={force} v={removeVolumes}");
        if (record.Status == ContainerStatus.Running && !force)
        {
            throw new BerthException(ErrorKind.Conflict,
                $"You cannot remove a running container {record.Id}. Stop the container before attempting removal or force remove");
        }

        lock (_lock)
        {
            _containers.Remove(record.Id.Value);
            foreach (var exec in _execs.Where(e => e.Value.ContainerId == record.Id).Select(e => e.Key).ToList())
            {
                _execs.Remove(exec);
            }
        }

        if (removeVolumes)
        {
            foreach (var mount in record.Mounts.Where(m => m.IsVolume && m.Anonymous && ContainersUsingVolume(m.Name).Count == 0))
            {
                await Volumes.RemoveAsync(mount.Name, cancellationToken);
            }
        }
    }

    public Task RenameAsync(string idOrName, string newName, CancellationToken cancellationToken = default)
    {
        var record = Get(idOrName);
        string name = newName.TrimStart('/');
        if (name.Length == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "Neither old nor new names may be empty");
        }

        lock (_lock)
        {
            if (_containers.Values.FirstOrDefault(c => c.Name == name) is { } owner)
            {
                throw new BerthException(ErrorKind.Conflict,
                    $"Conflict. The container name \"/{name}\" is already in use by container \"{owner.Id}\". You have to remove (or rename) that container to be able to reuse that name.");
            }

            _containers[record.Id.Value] = record with { Name = name };
        }

        return Task.CompletedTask;
    }

    public Task<IContainerStdin> ConnectStdinAsync(string idOrName, CancellationToken cancellationToken = default) =>
        throw new BerthException(ErrorKind.NotSupported, "the fake engine has no container processes to attach to");

    public Task ResizeAsync(string idOrName, uint height, uint width, CancellationToken cancellationToken = default)
    {
        var record = Get(idOrName);
        return record.Status == ContainerStatus.Running
            ? Task.CompletedTask
            : throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
    }

    public string LogPathOf(string idOrName) => Path.Combine(_root, "logs", Get(idOrName).Id + ".log");

    public IDisposable HoldLogs(ContainerId id) => new MemoryStream();

    public Berth.Runtime.Logging.LogConfig DefaultLogConfig => Berth.Runtime.Logging.LogConfig.Default;

    public Berth.Runtime.Logging.LogConfig ResolveLogConfig(Berth.Runtime.Logging.LogConfig? requested) => Berth.Runtime.Logging.LogDrivers.Resolve(requested, DefaultLogConfig);

    public Berth.Runtime.Logging.LogConfig LogConfigOf(ContainerRecord record) => record.Spec.LogConfig ?? DefaultLogConfig;

    public string LogFileOf(ContainerRecord record) => "";

    /// <summary>The fake keeps each container's output as conmon would (k8s-file at <see cref="LogPathOf"/>) and reads it as the driver's log.</summary>
    public ContainerLogFollower OpenLog(ContainerRecord record) =>
        Berth.Runtime.Logging.LogDrivers.Check(LogConfigOf(record)).Reads
            ? new ContainerLogFollower(LogPathOf(record.Id.Value), fromStart: true)
            : throw new BerthException(ErrorKind.NotSupported, "configured logging driver does not support reading");

    public ExecState CreateExec(string idOrName, ExecCreateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var record = Get(idOrName);
        if (spec.Cmd.IsDefaultOrEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "No exec command specified");
        }

        if (record.Status != ContainerStatus.Running)
        {
            throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        }

        var exec = new ExecState { Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), ContainerId = record.Id, Spec = spec };
        lock (_lock)
        {
            _execs[exec.Id] = exec;
        }

        return exec;
    }

    public ExecState InspectExec(string execId)
    {
        lock (_lock)
        {
            return _execs.GetValueOrDefault(execId) ?? throw new BerthException(ErrorKind.NotFound, $"No such exec instance: {execId}");
        }
    }

    public Task<ExecRun> StartExecAsync(string execId, Func<LogStream, ReadOnlyMemory<byte>, ValueTask>? output, CancellationToken cancellationToken = default)
    {
        _ = InspectExec(execId);
        throw new BerthException(ErrorKind.NotSupported, "the fake engine runs no processes");
    }

    public Task ResizeExecAsync(string execId, ushort rows, ushort columns, CancellationToken cancellationToken = default)
    {
        _ = InspectExec(execId);
        throw new BerthException(ErrorKind.Conflict, $"exec {execId} has not started; start it before resizing its terminal");
    }

    public Task ConnectAsync(string networkIdOrName, string containerIdOrName, EndpointSpec endpoint, CancellationToken cancellationToken = default)
    {
        var record = Get(containerIdOrName);
        Calls.Add($"connect {record.Id} {networkIdOrName}");
        Replace(record with { Spec = record.Spec with { Endpoints = record.Spec.Endpoints.Add(endpoint) } });
        return Task.CompletedTask;
    }

    public Task DisconnectAsync(string networkIdOrName, string containerIdOrName, CancellationToken cancellationToken = default)
    {
        var record = Get(containerIdOrName);
        Calls.Add($"disconnect {record.Id} {networkIdOrName}");
        Replace(record with { Spec = record.Spec with { Endpoints = [.. record.Spec.Endpoints.Where(e => e.Network != networkIdOrName)] } });
        return Task.CompletedTask;
    }

    public IReadOnlyList<string> ContainersUsingVolume(string name)
    {
        lock (_lock)
        {
            return [.. _containers.Values.Where(c => c.Mounts.Any(m => m.IsVolume && m.Name == name)).OrderBy(c => c.Created).Select(c => c.Id.Value)];
        }
    }

    public async Task RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken = default)
    {
        if (Volumes.Find(name) is null && force)
        {
            return;
        }

        Volumes.Get(name);
        var users = ContainersUsingVolume(name);
        if (users.Count > 0)
        {
            throw new BerthException(ErrorKind.Conflict, $"remove {name}: volume is in use - [{string.Join(", ", users)}]");
        }

        await Volumes.RemoveAsync(name, cancellationToken);
    }

    public async Task<(IReadOnlyList<string> Deleted, long SpaceReclaimed)> PruneVolumesAsync(Func<VolumeRecord, bool> matches, CancellationToken cancellationToken = default)
    {
        var deleted = new List<string>();
        foreach (var volume in Volumes.List().Where(v => matches(v) && ContainersUsingVolume(v.Name).Count == 0))
        {
            await Volumes.RemoveAsync(volume.Name, cancellationToken);
            deleted.Add(volume.Name);
        }

        return (deleted, 0);
    }

    public void Dispose() => Volumes.Dispose();

    private void Replace(ContainerRecord record)
    {
        lock (_lock)
        {
            _containers[record.Id.Value] = record;
        }
    }

    private void Exit(ContainerRecord record, int code) =>
        Replace(Get(record.Id.Value) with { Status = ContainerStatus.Exited, Pid = 0, ExitCode = code, FinishedAt = DateTimeOffset.UtcNow });
}
