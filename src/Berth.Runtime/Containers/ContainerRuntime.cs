using System.Collections.Immutable;
using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux.Namespaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Containers;

/// <summary>
/// Runs containers with runc (or another <see cref="OciRuntime"/>, chosen per container) under conmon: create (config.json, overlay rootfs, conmon → runc create),
/// start, kill, stop, state, wait, delete. Container processes are children of conmon, never of the
/// caller; exit codes come from conmon's exit files, so they survive a restart of the caller.
/// </summary>
public sealed partial class ContainerRuntime : IContainerRuntime, IDisposable
{
    /// <summary>/etc/hosts entries Docker writes for every container (before its own address line).</summary>
    private const string DefaultHosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    private static readonly TimeSpan ExitPollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>How often a waiter re-checks its exit file without an event (events can be lost; runc state can vanish).</summary>
    private static readonly TimeSpan ExitRecheckInterval = TimeSpan.FromSeconds(1);

    private readonly ContainerRuntimeOptions options;
    private readonly ConmonLauncher conmon;
    private readonly ILogger logger;
    private readonly Lazy<DirectoryWatch> exitWatch;

    /// <summary>Bundle directories of containers made by this instance; others are found through runc state.</summary>
    private ImmutableDictionary<string, ContainerPaths> bundles = ImmutableDictionary<string, ContainerPaths>.Empty;

    public ContainerRuntime(ContainerRuntimeOptions options, ILogger? logger = null)
    {
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
        conmon = new ConmonLauncher(options);
        exitWatch = new Lazy<DirectoryWatch>(() => new DirectoryWatch(options.ExitDirectory));
        Runc = new RuncClient(options.Runtimes, options.RuncRoot, options.RuntimeRecordDirectory, options.OperationTimeout);
    }

    public RuncClient Runc { get; }

    public ConmonLauncher Conmon => conmon;

    public long? LogSizeMax => options.LogSizeMax;

    public bool Exists(string id) => Runc.Exists(id);

    public Task<ExecProcess> ExecAsync(string id, ExecPaths paths, Oci.OciProcess process, CancellationToken cancellationToken = default) =>
        ExecProcess.StartAsync(Runc, id, paths, process, cancellationToken);

    /// <summary>Where conmon writes the exit code of container <paramref name="id"/>.</summary>
    public string ExitFile(string id) => Path.Combine(options.ExitDirectory, id);

    /// <summary>
    /// Writes config.json, mounts the overlay rootfs, writes /etc/hosts, /etc/hostname and
    /// /etc/resolv.conf, and has conmon run <c>runc create</c>. The container exists (status created)
    /// when this returns; <see cref="StartAsync"/> runs its process. On failure nothing is left behind.
    /// </summary>
    public async Task<ConmonResult> CreateAsync(ContainerSpec spec, string bundleDirectory, CancellationToken cancellationToken = default)
    {
        ContainerName.Validate(spec.Id);
        OciRuntime runtime = Runc.Resolve(spec.Runtime);
        if (Runc.Exists(spec.Id) || RuncClient.Exists(runtime, spec.Id))
        {
            throw new BerthException(ErrorKind.Conflict, $"container {spec.Id} already exists in {runtime.Root}; delete it first");
        }

        OciSpecBuilder.ResolveArgs(spec);
        var paths = new ContainerPaths(Path.GetFullPath(bundleDirectory)) { LayerDirectory = spec.LayerDirectory };
        Directory.CreateDirectory(paths.Directory);
        Directory.CreateDirectory(runtime.Root);
        Directory.CreateDirectory(options.ExitDirectory);
        Directory.CreateDirectory(options.SocketDirectory);
        File.Delete(ExitFile(spec.Id));
        try
        {
            long begin = System.Diagnostics.Stopwatch.GetTimestamp();
            IdentityMapping? userNamespace = UserNamespaceOf(spec);
            RootFilesystem.Mount(paths, spec.Layers, userNamespace);
            await WriteEtcFilesAsync(spec, paths, cancellationToken).ConfigureAwait(false);
            ContainerSpec effective = spec.NoFile is null ? spec with { NoFile = NoFileLimit.ForContainers() } : spec;
            if (userNamespace is not null)
            {
                effective = Remap(effective, paths, userNamespace);
            }

            string json = OciSpecBuilder.Serialize(OciSpecBuilder.Build(effective, paths, userNamespace));
            await File.WriteAllTextAsync(paths.Config, json, cancellationToken).ConfigureAwait(false);
            TimeSpan bundle = System.Diagnostics.Stopwatch.GetElapsedTime(begin);
            Runc.Bind(spec.Id, runtime);
            ConmonResult result = await conmon.LaunchAsync(spec, paths, runtime, cancellationToken).ConfigureAwait(false);
            RuntimeLog.CreateTimings(logger, spec.Id, bundle.TotalMilliseconds, result.Detached.TotalMilliseconds, (System.Diagnostics.Stopwatch.GetElapsedTime(begin) - bundle - result.Detached).TotalMilliseconds);
            ImmutableInterlocked.AddOrUpdate(ref bundles, spec.Id, paths, (_, _) => paths);
            RuntimeLog.Created(logger, spec.Id, result.ConmonPid, result.ContainerPid);
            Linux.Reliability.CrashPoints.Pass("runc create");
            return result;
        }
        catch (Exception exception) when (exception is BerthException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            IReadOnlyList<string> errors = await CleanUpAsync(spec.Id, paths, force: true, CancellationToken.None).ConfigureAwait(false);
            foreach (string error in errors)
            {
                RuntimeLog.CleanupFailed(logger, spec.Id, error);
            }

            throw;
        }
    }

    public async Task StartAsync(string id, CancellationToken cancellationToken = default)
    {
        ContainerPaths paths = await PathsOfAsync(id, cancellationToken).ConfigureAwait(false);
        await Runc.StartAsync(id, () => ConmonLauncher.ReadPid(paths.ContainerPidFile) is int pid && ConmonLauncher.IsAlive(pid), cancellationToken).ConfigureAwait(false);
        RuntimeLog.Started(logger, id);
        Linux.Reliability.CrashPoints.Pass("runc start");
    }

    /// <summary>Signals the container's init; <paramref name="signal"/> is a name (<c>SIGHUP</c>, <c>HUP</c>) or a number.</summary>
    public Task KillAsync(string id, string signal, CancellationToken cancellationToken = default) =>
        Runc.KillAsync(id, signal, cancellationToken);

    public Task PauseAsync(string id, CancellationToken cancellationToken = default) => Runc.PauseAsync(id, cancellationToken);

    public Task ResumeAsync(string id, CancellationToken cancellationToken = default) => Runc.ResumeAsync(id, cancellationToken);

    public Task UpdateResourcesAsync(string id, ContainerResources resources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return Runc.UpdateAsync(id, resources.ToOciUpdate(), cancellationToken);
    }

    /// <summary>
    /// <paramref name="signal"/> (a stop signal), then SIGKILL when the container has not exited after <paramref name="timeout"/>; returns the exit code.
    /// A container that already exited is left alone.
    /// </summary>
    public async Task<int> StopAsync(string id, TimeSpan timeout, string signal, CancellationToken cancellationToken = default)
    {
        if (TryReadExitCode(id) is int already)
        {
            return already;
        }

        await SignalIfRunningAsync(id, signal, cancellationToken).ConfigureAwait(false);
        using (var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            grace.CancelAfter(timeout);
            try
            {
                return await WaitAsync(id, grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                RuntimeLog.Escalating(logger, id, timeout.TotalSeconds);
            }
        }

        await SignalIfRunningAsync(id, "SIGKILL", cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.OperationTimeout);
        try
        {
            return await WaitAsync(id, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BerthException(ErrorKind.Unavailable, $"container {id} did not exit within {options.OperationTimeout.TotalSeconds:0} s of SIGKILL");
        }
    }

    /// <summary>runc's view of the container; NotFound when runc has no state for it.</summary>
    public async Task<ContainerState> StateAsync(string id, CancellationToken cancellationToken = default)
    {
        Oci.OciState state = await Runc.StateAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new BerthException(ErrorKind.NotFound, $"no such container: {id}");
        ContainerStatus status = state.Status switch
        {
            "creating" => ContainerStatus.Creating,
            "created" => ContainerStatus.Created,
            "running" => ContainerStatus.Running,
            "paused" => ContainerStatus.Paused,
            "stopped" => ContainerStatus.Stopped,
            _ => throw new BerthException(ErrorKind.Internal, $"container {id}: runc reports unknown status \"{state.Status}\""),
        };
        return new ContainerState(state.Id, status, state.Pid, state.Bundle);
    }

    /// <summary>
    /// Waits until conmon has written the exit file and returns the exit code (128+N for a signal N).
    /// Woken by an inotify event on the exit directory, so a thousand waiters cost nothing while they wait.
    /// </summary>
    public async Task<int> WaitAsync(string id, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task written = exitWatch.Value.Next(id);
            if (TryReadExitCode(id) is int code)
            {
                return code;
            }

            if (!Runc.Exists(id))
            {
                throw new BerthException(ErrorKind.NotFound, $"no such container: {id}");
            }

            if (await ExitLostAsync(id, cancellationToken).ConfigureAwait(false))
            {
                RuntimeLog.ExitLost(logger, id, LostExitCode);
                return LostExitCode;
            }

            await DirectoryWatch.WaitAsync(written, ExitRecheckInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The exit code of a run whose real one nobody recorded (containerd's for a task whose shim is gone).</summary>
    public const int LostExitCode = 255;

    /// <summary>
    /// Whether the run ended without an exit file ever coming: conmon, which writes it, is gone, and runc says the
    /// container stopped. Without this a container whose conmon died (found by the long crash round: a swarm manager
    /// killed at a point of a task's start) stayed "running" for ever and could not be stopped or removed. Cheap while
    /// conmon lives (a pid file and a signal 0); only then is runc asked.
    /// </summary>
    private async Task<bool> ExitLostAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            ContainerPaths paths = await PathsOfAsync(id, cancellationToken).ConfigureAwait(false);
            if (ConmonLauncher.ReadPid(paths.ConmonPidFile) is int conmon && ConmonLauncher.IsAlive(conmon))
            {
                return false;
            }

            // conmon may have written the file just before it went.
            return TryReadExitCode(id) is null && (await StateAsync(id, cancellationToken).ConfigureAwait(false)).Status == ContainerStatus.Stopped;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (exitWatch.IsValueCreated)
        {
            exitWatch.Value.Dispose();
        }
    }

    /// <summary>The exit code when the container has exited, else null.</summary>
    public int? TryReadExitCode(string id)
    {
        string path = ExitFile(id);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            string text = File.ReadAllText(path).Trim();
            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code) ? code : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Removes the container: <c>runc delete</c> (<paramref name="force"/> kills a running one; without it a
    /// running container is a Conflict), waits for conmon to finish, unmounts the rootfs, removes the
    /// bundle directory and the exit file. Best effort after the first step; problems are reported together.
    /// </summary>
    public async Task DeleteAsync(string id, bool force, CancellationToken cancellationToken = default)
    {
        ContainerPaths? paths = bundles.GetValueOrDefault(id);
        if (paths is null && Runc.Exists(id))
        {
            paths = new ContainerPaths((await StateAsync(id, cancellationToken).ConfigureAwait(false)).Bundle);
        }

        if (paths is null)
        {
            throw new BerthException(ErrorKind.NotFound, $"no such container: {id}");
        }

        if (!force && Runc.Exists(id))
        {
            ContainerState state = await StateAsync(id, cancellationToken).ConfigureAwait(false);
            if (state.Status is ContainerStatus.Running or ContainerStatus.Paused)
            {
                throw new BerthException(ErrorKind.Conflict, $"cannot remove container {id}: it is {state.Status.ToString().ToLowerInvariant()}; stop it first or force the removal");
            }
        }

        IReadOnlyList<string> errors = await CleanUpAsync(id, paths, force, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            throw new BerthException(ErrorKind.Internal, $"container {id} was not removed completely: {string.Join("; ", errors)}");
        }

        ImmutableInterlocked.TryRemove(ref bundles, id, out _);
        RuntimeLog.Deleted(logger, id);
        Linux.Reliability.CrashPoints.Pass("runc delete");
    }

    private async Task SignalIfRunningAsync(string id, string signal, CancellationToken cancellationToken)
    {
        ContainerState state = await StateAsync(id, cancellationToken).ConfigureAwait(false);
        if (state.Status is ContainerStatus.Stopped)
        {
            return;
        }

        try
        {
            await Runc.KillAsync(id, signal, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException) when (TryReadExitCode(id) is not null)
        {
            // It exited between the state check and the signal.
        }
    }

    public async Task CleanUpAsync(string id, string bundleDirectory, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> errors = await CleanUpAsync(id, new ContainerPaths(Path.GetFullPath(bundleDirectory)), force: true, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            throw new BerthException(ErrorKind.Internal, $"container {id} was not removed completely: {string.Join("; ", errors)}");
        }
    }

    private async Task<IReadOnlyList<string>> CleanUpAsync(string id, ContainerPaths paths, bool force, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        int? conmonPid = ConmonLauncher.ReadPid(paths.ConmonPidFile);
        try
        {
            await Runc.DeleteAsync(id, force, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException exception)
        {
            errors.Add(exception.Message);
        }

        // conmon writes the exit file and closes the log after the container's init is gone; wait for it
        // so the bundle directory is not removed under it.
        if (conmonPid is int pid)
        {
            DateTime deadline = DateTime.UtcNow + options.OperationTimeout;
            while (ConmonLauncher.IsAlive(pid) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(ExitPollInterval, cancellationToken).ConfigureAwait(false);
            }

            if (ConmonLauncher.IsAlive(pid))
            {
                errors.Add($"conmon (pid {pid}) is still running {options.OperationTimeout.TotalSeconds:0} s after the container was deleted");
            }
        }

        try
        {
            RootFilesystem.Unmount(paths);
        }
        catch (BerthException exception)
        {
            errors.Add(exception.Message);
        }

        try
        {
            if (Directory.Exists(paths.Directory) && !RootFilesystem.IsMounted(paths))
            {
                Directory.Delete(paths.Directory, recursive: true);
            }

            File.Delete(ExitFile(id));

            // The record goes with the runtime's state, never before: a delete that failed is retried with the same binary.
            if (!Runc.Exists(id))
            {
                Runc.Forget(id);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            errors.Add($"cannot remove {paths.Directory}: {exception.Message}");
        }

        return errors;
    }

    private static async Task WriteEtcFilesAsync(ContainerSpec spec, ContainerPaths paths, CancellationToken cancellationToken)
    {
        string hostname = spec.Hostname;
        string hosts = spec.Hosts ?? DefaultHosts + (string.IsNullOrEmpty(hostname) ? "" : $"127.0.1.1\t{hostname}\n");
        string resolv = spec.ResolvConf ?? (File.Exists("/etc/resolv.conf") ? await File.ReadAllTextAsync("/etc/resolv.conf", cancellationToken).ConfigureAwait(false) : "");
        await File.WriteAllTextAsync(paths.Hosts, hosts, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(paths.Hostname, hostname + "\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(paths.ResolvConf, resolv, cancellationToken).ConfigureAwait(false);
    }
}
