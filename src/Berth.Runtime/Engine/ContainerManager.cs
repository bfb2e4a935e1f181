using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Network.Containers;
using Berth.Network.Endpoints;
using Berth.Runtime.Containers;
using Berth.Runtime.Images;
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
public sealed partial class ContainerManager : IAsyncDisposable
{
    private const string Prefix = "containers/";
    private const string HostResolvConfPath = "/etc/resolv.conf";

    private readonly IStateStore _store;
    private readonly ImageStore _images;
    private readonly ContainerRuntime _runtime;
    private readonly ContainerNetworks _networks;
    private readonly EndpointManager _endpoints;
    private readonly string _root;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Dictionary<string, TaskCompletionSource<int>> _exits = [];
    private readonly Dictionary<string, TaskCompletionSource> _removals = [];
    private readonly Dictionary<string, int> _logLeases = [];
    private readonly List<Task> _autoRemovals = [];
    private ImmutableDictionary<string, ContainerRecord> _containers = ImmutableDictionary<string, ContainerRecord>.Empty;

    public ContainerManager(IStateStore store, ImageStore images, ContainerRuntime runtime, ContainerNetworks networks, EndpointManager endpoints, string root, ILogger? logger = null)
    {
        _store = store;
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
        foreach (var entry in await _store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            var record = JsonSerializer.Deserialize(entry.Value.Span, EngineJsonContext.Default.ContainerRecord)!;
            _containers = _containers.SetItem(record.Id, record);
            if (record.Status == ContainerStatus.Running)
            {
                Watch(record.Id);
            }
        }
    }

    public IReadOnlyList<ContainerRecord> List() => [.. _containers.Values.OrderByDescending(c => c.Created)];

    public ContainerRecord Get(string idOrName) => Find(idOrName);

    /// <summary>The endpoints of a running container, for inspect.</summary>
    public IReadOnlyList<EndpointState> EndpointsOf(string id) => _endpoints.OfContainer(id);

    public async Task<ContainerRecord> CreateAsync(ContainerCreateSpec spec, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var image = _images.Inspect(spec.Image);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            string chosen = name is null or "" ? GenerateName() : ValidateName(name.TrimStart('/'));
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
                Id = id,
                Name = chosen,
                Created = DateTimeOffset.UtcNow,
                Spec = spec,
                ImageId = image.Id,
                Command = [.. entrypoint, .. cmd],
            };
            if (record.Command.IsEmpty)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "No command specified");
            }

            await SaveAsync(record, cancellationToken).ConfigureAwait(false);
            return record;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts a created or exited container; false when it was already running (Docker's 304).</summary>
    public async Task<bool> StartAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var record = Find(idOrName);
            if (record.Status == ContainerStatus.Running)
            {
                return false;
            }

            if (record.Status == ContainerStatus.Exited && _runtime.Runc.Exists(record.Id))
            {
                // A second run starts from a fresh bundle (the first run's log goes with it).
                await _runtime.DeleteAsync(record.Id, force: true, cancellationToken).ConfigureAwait(false);
            }

            var image = _images.Inspect(record.ImageId);
            var network = await _networks.PrepareAsync(NetworkRequest(record), cancellationToken).ConfigureAwait(false);
            try
            {
                string hostname = record.Spec.Hostname is { Length: > 0 } h ? h : record.ShortId;
                var spec = new ContainerSpec
                {
                    Id = record.Id,
                    Layers = [.. image.LayerDirectories.Reverse()],
                    Cmd = record.Command,
                    Env = [.. image.Config.Config?.Env ?? [], .. record.Spec.Env],
                    WorkingDir = record.Spec.WorkingDir ?? image.Config.Config?.WorkingDir ?? "",
                    User = record.Spec.User ?? image.Config.Config?.User ?? "",
                    Tty = record.Spec.Tty,
                    Hostname = hostname,
                    Labels = record.Spec.Labels.ToImmutableSortedDictionary(),
                    NetworkNamespacePath = network.NamespacePath,
                    HostNetwork = record.Spec.NetworkMode == ContainerNetworks.HostMode,
                    Hosts = HostsFile.Render(hostname, [.. network.Endpoints.Where(e => e.IPv4 is not null).Select(e => e.IPv4!.Value.Address)], containerName: record.Name),
                    ResolvConf = ResolvConfFor(record),
                };
                var started = await _runtime.CreateAsync(spec, BundleOf(record.Id), cancellationToken).ConfigureAwait(false);
                await _runtime.StartAsync(record.Id, cancellationToken).ConfigureAwait(false);
                record = record with { Status = ContainerStatus.Running, Pid = started.ContainerPid, StartedAt = DateTimeOffset.UtcNow, ExitCode = 0, FinishedAt = null };
                await SaveAsync(record, cancellationToken).ConfigureAwait(false);
                Watch(record.Id);
                return true;
            }
            catch
            {
                await _networks.ReleaseAsync(record.Id, record.Name, CancellationToken.None).ConfigureAwait(false);
                if (_runtime.Runc.Exists(record.Id))
                {
                    await _runtime.DeleteAsync(record.Id, force: true, CancellationToken.None).ConfigureAwait(false);
                }

                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="timeout"/>; returns once the exit is recorded.</summary>
    public async Task StopAsync(string idOrName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var record = Find(idOrName);
        if (record.Status != ContainerStatus.Running)
        {
            return;
        }

        var exit = ExitOf(record.Id);
        await _runtime.StopAsync(record.Id, timeout, cancellationToken).ConfigureAwait(false);

        // The watcher records the exit within its poll interval; do not hang if it already had.
        await Task.WhenAny(exit, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken)).ConfigureAwait(false);
    }

    public async Task KillAsync(string idOrName, string signal, CancellationToken cancellationToken = default)
    {
        var record = Find(idOrName);
        if (record.Status != ContainerStatus.Running)
        {
            throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        }

        await _runtime.KillAsync(record.Id, signal, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Docker's wait: <c>next-exit</c>, <c>not-running</c> (default) or <c>removed</c>; returns the exit code.</summary>
    public async Task<int> WaitAsync(string idOrName, string condition, CancellationToken cancellationToken = default)
    {
        var record = Find(idOrName);
        switch (condition)
        {
            case "next-exit":
                return await ExitOf(record.Id).WaitAsync(cancellationToken).ConfigureAwait(false);
            case "removed":
                int code = record.Status == ContainerStatus.Exited ? record.ExitCode : await ExitOf(record.Id).WaitAsync(cancellationToken).ConfigureAwait(false);
                await RemovalOf(record.Id).Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                return code;
            case "" or "not-running":
                return record.Status == ContainerStatus.Running ? await ExitOf(record.Id).WaitAsync(cancellationToken).ConfigureAwait(false) : record.ExitCode;
            default:
                throw new BerthException(ErrorKind.InvalidArgument, $"invalid condition: \"{condition}\"; use next-exit, not-running or removed");
        }
    }

    public async Task RemoveAsync(string idOrName, bool force, CancellationToken cancellationToken = default)
    {
        var record = Find(idOrName);
        if (record.Status == ContainerStatus.Running)
        {
            if (!force)
            {
                throw new BerthException(ErrorKind.Conflict,
                    $"You cannot remove a running container {record.Id}. Stop the container before attempting removal or force remove");
            }

            var exit = ExitOf(record.Id);
            await _runtime.KillAsync(record.Id, "KILL", cancellationToken).ConfigureAwait(false);
            await Task.WhenAny(exit, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken)).ConfigureAwait(false);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RemoveLockedAsync(record.Id, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>True once the container has exited (or is gone): its log will not grow any more.</summary>
    public bool IsFinished(string id) => !_containers.TryGetValue(id, out var record) || record.Status == ContainerStatus.Exited;

    /// <summary>Keeps an auto-removed container's log until the returned lease is disposed (an attach still streaming it).</summary>
    public IDisposable HoldLogs(string id)
    {
        lock (_logLeases)
        {
            _logLeases[id] = _logLeases.GetValueOrDefault(id) + 1;
        }

        return new LogLease(this, id);
    }

    private void ReleaseLogs(string id)
    {
        lock (_logLeases)
        {
            if (--_logLeases[id] == 0)
            {
                _logLeases.Remove(id);
            }
        }
    }

    private async Task WaitForLogReadersAsync(string id)
    {
        for (int i = 0; i < 250; i++)
        {
            lock (_logLeases)
            {
                if (!_logLeases.ContainsKey(id))
                {
                    return;
                }
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private sealed class LogLease(ContainerManager owner, string id) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.ReleaseLogs(id);
            }
        }
    }

    /// <summary>The container's log, as conmon wrote it.</summary>
    public IEnumerable<LogEntry> Logs(string idOrName)
    {
        string log = new ContainerPaths(BundleOf(Find(idOrName).Id)).Log;
        return File.Exists(log) ? ContainerLogReader.Read(log) : [];
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
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _shutdown.Dispose();
        _gate.Dispose();
    }

    private void Watch(string id) => _ = Task.Run(async () =>
    {
        try
        {
            int code = await _runtime.WaitAsync(id, _shutdown.Token).ConfigureAwait(false);
            await OnExitedAsync(id, code).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // berthd is stopping; the next berthd adopts the container.
        }
        catch (BerthException e)
        {
            WatchFailed(_logger, id, e.Message);
            await OnExitedAsync(id, -1).ConfigureAwait(false);
        }
    });

    private async Task OnExitedAsync(string id, int code)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_containers.TryGetValue(id, out var record) || record.Status != ContainerStatus.Running)
            {
                return;
            }

            await _networks.ReleaseAsync(id, record.Name, CancellationToken.None).ConfigureAwait(false);
            record = record with { Status = ContainerStatus.Exited, ExitCode = code, FinishedAt = DateTimeOffset.UtcNow, Pid = 0 };
            await SaveAsync(record, CancellationToken.None).ConfigureAwait(false);
            CompleteExit(id, code);
            if (record.Spec.AutoRemove)
            {
                // --rm: removed once whoever is attached has read the last of the output.
                var removal = Task.Run(async () =>
                {
                    await WaitForLogReadersAsync(id).ConfigureAwait(false);
                    await RemoveAsync(id, force: true).ConfigureAwait(false);
                });
                lock (_autoRemovals)
                {
                    _autoRemovals.RemoveAll(t => t.IsCompleted);
                    _autoRemovals.Add(removal);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RemoveLockedAsync(string id, CancellationToken cancellationToken)
    {
        if (!_containers.TryGetValue(id, out var record))
        {
            return;
        }

        await _networks.ReleaseAsync(id, record.Name, cancellationToken).ConfigureAwait(false);
        if (_runtime.Runc.Exists(id) || Directory.Exists(BundleOf(id)))
        {
            await _runtime.DeleteAsync(id, force: true, cancellationToken).ConfigureAwait(false);
        }

        await _store.DeleteAsync(Prefix + id, cancellationToken).ConfigureAwait(false);
        _containers = _containers.Remove(id);
        Directory.Delete(Path.Combine(_root, id), recursive: true);
        RemovalOf(id).TrySetResult();
    }

    /// <summary>The container's next exit: completed by <see cref="OnExitedAsync"/>, replaced once it has completed.</summary>
    private Task<int> ExitOf(string id)
    {
        lock (_exits)
        {
            if (!_exits.TryGetValue(id, out var exit) || exit.Task.IsCompleted)
            {
                exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                _exits[id] = exit;
            }

            return exit.Task;
        }
    }

    private void CompleteExit(string id, int code)
    {
        lock (_exits)
        {
            if (_exits.TryGetValue(id, out var exit))
            {
                exit.TrySetResult(code);
            }
        }
    }

    private TaskCompletionSource RemovalOf(string id)
    {
        lock (_removals)
        {
            if (!_removals.TryGetValue(id, out var removal))
            {
                removal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _removals[id] = removal;
            }

            return removal;
        }
    }

    private async Task SaveAsync(ContainerRecord record, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(_root, record.Id));
        await _store.PutAsync(Prefix + record.Id, JsonSerializer.SerializeToUtf8Bytes(record, EngineJsonContext.Default.ContainerRecord), cancellationToken).ConfigureAwait(false);
        _containers = _containers.SetItem(record.Id, record);
    }

    private ContainerNetworkRequest NetworkRequest(ContainerRecord record)
    {
        string mode = record.Spec.NetworkMode;
        string? join = null;
        if (mode.StartsWith(ContainerNetworks.ContainerModePrefix, StringComparison.Ordinal))
        {
            var other = Find(mode[ContainerNetworks.ContainerModePrefix.Length..]);
            join = other.Status == ContainerStatus.Running ? $"/proc/{other.Pid}/ns/net" : null;
        }

        return new ContainerNetworkRequest
        {
            ContainerId = record.Id,
            ContainerName = record.Name,
            NetworkMode = mode,
            JoinNamespacePath = join,
            Endpoints = [.. record.Spec.Endpoints.Select(e => new EndpointRequest
            {
                Network = e.Network,
                IPv4Address = string.IsNullOrEmpty(e.IPv4Address) ? null : IPAddress.Parse(e.IPv4Address),
                IPv6Address = string.IsNullOrEmpty(e.IPv6Address) ? null : IPAddress.Parse(e.IPv6Address),
                MacAddress = string.IsNullOrEmpty(e.MacAddress) ? null : System.Net.NetworkInformation.PhysicalAddress.Parse(e.MacAddress.Replace(':', '-')),
                Aliases = e.Aliases,
            })],
        };
    }

    private static string ResolvConfFor(ContainerRecord record)
    {
        string hostFile = File.Exists(HostResolvConfPath) ? File.ReadAllText(HostResolvConfPath) : "";
        string mode = record.Spec.NetworkMode;
        if (mode == ContainerNetworks.HostMode)
        {
            return hostFile;
        }

        bool userDefined = mode is not ("" or "default" or "bridge" or ContainerNetworks.NoneMode) && !mode.StartsWith(ContainerNetworks.ContainerModePrefix, StringComparison.Ordinal);
        return ResolvConf.Render(ResolvConf.Parse(hostFile), userDefined);
    }

    private string BundleOf(string id) => Path.Combine(_root, id, "bundle");

    private ContainerRecord Find(string idOrName)
    {
        string key = idOrName.TrimStart('/');
        if (_containers.TryGetValue(key, out var byId))
        {
            return byId;
        }

        var byName = _containers.Values.FirstOrDefault(c => c.Name == key);
        if (byName is not null)
        {
            return byName;
        }

        var byPrefix = _containers.Values.Where(c => c.Id.StartsWith(key, StringComparison.Ordinal)).ToList();
        return byPrefix.Count == 1 ? byPrefix[0] : throw new BerthException(ErrorKind.NotFound, $"No such container: {idOrName}");
    }

    private static string ValidateName(string name)
    {
        if (name.Length < 2 || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }

        return name;
    }

    private string GenerateName()
    {
        string[] adjectives = ["brave", "calm", "eager", "fervent", "gallant", "happy", "keen", "lucid", "nimble", "quiet", "steady", "vivid"];
        string[] names = ["bell", "curie", "darwin", "euler", "galois", "hopper", "lovelace", "noether", "pascal", "shannon", "turing", "wozniak"];
        while (true)
        {
            string name = $"{adjectives[RandomNumberGenerator.GetInt32(adjectives.Length)]}_{names[RandomNumberGenerator.GetInt32(names.Length)]}";
            if (_containers.Values.All(c => c.Name != name))
            {
                return name;
            }
        }
    }

    [LoggerMessage(EventId = 5300, Level = LogLevel.Warning, Message = "watching container {Id} failed: {Message}")]
    private static partial void WatchFailed(ILogger logger, string id, string message);
}
