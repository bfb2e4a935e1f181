using System.Collections.Immutable;
using System.Diagnostics;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// A container's runs: the one start path (a user's start, <c>docker restart</c>, the restart policy, berthd's own
/// start), a watcher per run that records its exit and hands it to the restart policy, the removal of a container,
/// and the adoption of running containers after a berthd restart. Every method that changes a container is called
/// with its lock held (<see cref="ContainerSlots"/>), so starts of different containers run in parallel,
/// <c>runc create</c> included. berthd is never the parent of a container's process: conmon is.
/// </summary>
public sealed partial class ContainerRunner(
    ContainerRecords records,
    ContainerSlots slots,
    IContainerRuntime runtime,
    ContainerProcesses processes,
    NetworkAttachments network,
    ContainerVolumes volumes,
    ContainerStreams streams,
    HealthMonitors health,
    RestartManager restarts,
    ExecSessions execs,
    ContainerEvents events,
    ContainerDirectories directories,
    ContainerCgroupCache cgroups,
    ILogger logger,
    TimeProvider? time = null) : IAsyncDisposable
{
    /// <summary>How long berthd's stop waits for removals of <c>--rm</c> containers that already exited.</summary>
    private static readonly TimeSpan AutoRemovalGrace = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly List<Task> _autoRemovals = [];

    /// <summary>
    /// Starts the container (lock held): namespace wired with its networks, runc through conmon, the watcher, its
    /// health monitor. A start by the user resets the restart policy's count and the manual stop.
    /// </summary>
    public async Task<ContainerRecord> StartLockedAsync(ContainerRecord record, bool byUser, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        string id = record.Id.Value;
        if (record.Status is ContainerStatus.Exited or ContainerStatus.Restarting && runtime.Exists(id))
        {
            // A second run starts from a fresh bundle; the log and the writable layer are outside it and continue.
            await runtime.DeleteAsync(id, force: true, cancellationToken).ConfigureAwait(false);
        }

        // The container's directory (log, bundle, exec state): made at create, here again for a record that came
        // from the store without one (written by another daemon sharing it).
        directories.Create(record.Id);
        streams.BoundLog(record.Id);
        streams.StartLogging(record);
        var image = processes.ImageOf(record);

        // --network container:X reads X's pid from the cache without X's lock (never two containers' locks).
        var joined = record.Spec.NetworkMode.IsContainer ? records.Find(record.Spec.NetworkMode.Target!) : null;
        string? userNamespace = runtime.UserNamespace is null ? null : NamespaceJoins.UserNamespaceDonor(record, records.Find);
        long t0 = Stopwatch.GetTimestamp();
        // A service task with a healthcheck is made out of its service's rotation: in once healthy (ServiceRotation).
        var attached = await network.AttachAsync(record, joined, ServiceRotation.StartsInRotation(HealthMonitors.HealthcheckOf(record, image)), userNamespace, cancellationToken).ConfigureAwait(false);
        long t1 = Stopwatch.GetTimestamp();
        try
        {
            var run = record with { LinkEnvironment = attached.LinkEnvironment };
            var spec = NamespaceJoins.Apply(ContainerProcesses.ProcessSpecOf(run, image), record, records.Find, directories) with
            {
                Stdin = ContainerStreams.StdinModeOf(record.Spec),
                ConsoleSize = (record.Spec.ConsoleHeight, record.Spec.ConsoleWidth),
                LogPath = directories.LogOf(record.Id),
                Labels = record.Spec.Labels.ToImmutableSortedDictionary(),
                NetworkNamespacePath = attached.NamespacePath,
                HostNetwork = record.Spec.NetworkMode.IsHost,
                Hosts = attached.Hosts,
                ResolvConf = attached.ResolvConf,
                ReadOnlyRootfs = record.Spec.ReadonlyRootfs,
                Sysctls = record.Spec.Sysctls,
                LayerDirectory = directories.LayerOf(record.Id),
                Binds = volumes.BindsOf(record),
            };
            if (byUser)
            {
                restarts.Reset(record.Id);
            }

            var started = await runtime.CreateAsync(spec, directories.BundleOf(record.Id), cancellationToken).ConfigureAwait(false);
            long t2 = Stopwatch.GetTimestamp();
            await runtime.StartAsync(id, cancellationToken).ConfigureAwait(false);
            long t3 = Stopwatch.GetTimestamp();
            var startedAt = _time.GetUtcNow();
            await network.AttachedAsync(record.Id, attached.Endpoints).ConfigureAwait(false);
            record = await records.SaveAsync(record.Id, r => r with
            {
                Status = ContainerStatus.Running,
                Pid = started.ContainerPid,
                Paused = false,
                OomKilled = false,
                StartedAt = startedAt,
                ExitCode = 0,
                FinishedAt = null,
                RestartCount = byUser ? 0 : r.RestartCount,
                ManuallyStopped = !byUser && r.ManuallyStopped,
                LastAddresses = attached.Addresses,
                Ports = attached.Ports,
                LinkEnvironment = attached.LinkEnvironment,
            }, cancellationToken).ConfigureAwait(false);
            cgroups.Track(record.Id, record.Pid);
            foreach (var mount in record.Mounts.Where(m => m.IsVolume))
            {
                events.Volume("mount", mount.Name, ("container", id), ("destination", mount.Destination), ("propagation", mount.Propagation),
                    ("read/write", mount.RW ? "true" : "false"));
            }

            StartTimings(logger, record.ShortId, Ms(t0, Stopwatch.GetTimestamp()), Ms(t0, t1), Ms(t1, t2), Ms(t2, t3), Ms(t3, Stopwatch.GetTimestamp()));
            Watch(record.Id);
            health.Start(record);
            return record;
        }
        catch
        {
            await streams.StopLoggingAsync(record.Id).ConfigureAwait(false);
            await network.DetachAsync(record.Id, record.Name, attached.Ports, publishEvents: false, CancellationToken.None).ConfigureAwait(false);
            if (runtime.Exists(id))
            {
                await runtime.DeleteAsync(id, force: true, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Removes the container (lock held): its network released, the runtime's state and bundle deleted, the record
    /// and its name claim deleted, its execs, health and restart state forgotten, its directory removed; then
    /// <c>destroy</c>, and the waiters for its exit and removal answered.
    /// </summary>
    public async Task RemoveLockedAsync(ContainerId id, CancellationToken cancellationToken = default)
    {
        if (records.TryGet(id) is not { } record)
        {
            return;
        }

        await network.DetachAsync(id, record.Name, record.Ports, publishEvents: false, cancellationToken).ConfigureAwait(false);
        if (runtime.Exists(id.Value))
        {
            await runtime.DeleteAsync(id.Value, force: true, cancellationToken).ConfigureAwait(false);
        }
        else if (Directory.Exists(directories.BundleOf(id)))
        {
            // runc's state went but the bundle stayed: a delete cut short by a crash.
            await runtime.CleanUpAsync(id.Value, directories.BundleOf(id), cancellationToken).ConfigureAwait(false);
        }

        await records.RemoveAsync(id, cancellationToken).ConfigureAwait(false);
        await streams.StopLoggingAsync(id).ConfigureAwait(false);
        cgroups.Forget(id);
        execs.Forget(id);
        health.Forget(id);
        restarts.Forget(id);
        directories.Delete(id);
        events.Container(record, "destroy");
        slots.CompleteRemoval(id, record.ExitCode);
    }

    /// <summary>
    /// berthd's start: the records loaded; running containers served by the embedded DNS again, watched (or their
    /// exit, if it happened meanwhile, recorded) and monitored; their ports held again; containers the restart policy
    /// would have restarted started again, in the background (those on a swarm's network once it is loaded).
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken = default)
    {
        FollowNetworks();
        var loaded = await records.LoadAsync(cancellationToken).ConfigureAwait(false);
        await UndoUnrecordedStartsAsync(loaded, cancellationToken).ConfigureAwait(false);
        await network.ReleaseLeftoversAsync(loaded, cancellationToken).ConfigureAwait(false);
        await network.RestoreAsync(loaded, cancellationToken).ConfigureAwait(false);
        streams.RestoreLogging(loaded);
        foreach (var record in loaded.Where(r => r.Status == ContainerStatus.Running))
        {
            cgroups.Track(record.Id, record.Pid);
            Watch(record.Id);
            health.Start(record);
        }

        StartRestartable([.. loaded.Where(RestartManager.IsDueAtStartup).Select(r => r.Id)]);
    }

    /// <summary>
    /// A crash between <c>runc start</c> and the record saying Running left a process the store does not have running:
    /// the start is undone (the container killed and its runc state deleted), as if it had failed — the record stays.
    /// </summary>
    private async Task UndoUnrecordedStartsAsync(IReadOnlyCollection<ContainerRecord> loaded, CancellationToken cancellationToken)
    {
        foreach (var record in loaded.Where(r => r.Status != ContainerStatus.Running && runtime.Exists(r.Id.Value)))
        {
            Containers.ContainerState state;
            try
            {
                state = await runtime.StateAsync(record.Id.Value, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                continue;
            }

            if (state.Status is Containers.ContainerStatus.Running or Containers.ContainerStatus.Paused or Containers.ContainerStatus.Created or Containers.ContainerStatus.Creating)
            {
                UnrecordedStartUndone(logger, record.ShortId, state.Status.ToString().ToLowerInvariant());
                await runtime.DeleteAsync(record.Id.Value, force: true, cancellationToken).ConfigureAwait(false);
            }
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

        await Task.WhenAny(Task.WhenAll(removals), Task.Delay(AutoRemovalGrace)).ConfigureAwait(false);
        network.NetworksChanged -= OnNetworksChanged;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await _followingNetworks.ConfigureAwait(false);
        await streams.StopAllLoggingAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private void StartRestartable(IReadOnlyList<ContainerId> due)
    {
        if (due.Count == 0)
        {
            return;
        }

        var shutdown = _shutdown.Token;
        _ = Task.Run(async () =>
        {
            foreach (var id in due)
            {
                try
                {
                    using (await slots.LockAsync(id, shutdown).ConfigureAwait(false))
                    {
                        if (records.TryGet(id) is { Status: ContainerStatus.Exited or ContainerStatus.Restarting } record)
                        {
                            await StartWhenNetworksKnownLockedAsync(record, byUser: true, shutdown).ConfigureAwait(false);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    private static double Ms(long from, long to) => Math.Round(Stopwatch.GetElapsedTime(from, to).TotalMilliseconds, 1);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Debug, Message = "container {Id} started in {TotalMs} ms: network {NetworkMs} ms, runc create {CreateMs} ms, runc start {StartMs} ms, record {SaveMs} ms")]
    private static partial void StartTimings(ILogger logger, string id, double totalMs, double networkMs, double createMs, double startMs, double saveMs);

    [LoggerMessage(EventId = 5312, Level = LogLevel.Warning, Message = "container {Id} was {State} in runc but not running in the store (berthd stopped in the middle of its start): the start is undone")]
    private static partial void UnrecordedStartUndone(ILogger logger, string id, string state);

    [LoggerMessage(EventId = 5311, Level = LogLevel.Warning, Message = "starting container {Id} again (berthd's start, or its restart policy once its networks were known) failed: {Message}")]
    private static partial void RestartFailed(ILogger logger, string id, string message);
}
