using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Images;

namespace Berth.Runtime.Engine;

/// <summary>
/// Containers' lifecycle as the API drives it, with Docker's errors: create (a record, its volumes), start, stop,
/// kill, restart, wait, remove, rename. What a client typed is resolved to a <see cref="ContainerId"/> first, the
/// container's lock taken on it, and the record read again under it (it may have gone meanwhile: then NotFound).
/// The run itself (start path, exits, removal) is <see cref="ContainerRunner"/>'s.
/// </summary>
public sealed partial class ContainerLifecycle(
    ContainerRecords records,
    ContainerSlots slots,
    ImageStore images,
    IContainerRuntime runtime,
    ContainerRunner runner,
    RestartManager restarts,
    ContainerVolumes volumes,
    ContainerLinks links,
    NetworkAttachments network,
    ContainerEvents events,
    ContainerDirectories directories) : IContainerLifecycle
{
    /// <summary>How long a stop or a forced removal waits for the watcher to record the exit after the runtime saw it.</summary>
    private static readonly TimeSpan ExitRecordWait = TimeSpan.FromSeconds(10);

    /// <summary>Docker's grace before SIGKILL when neither the request nor the container says (moby <c>defaultStopTimeout</c>).</summary>
    private static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How often a generated name is drawn again after another daemon sharing the store took it first.</summary>
    private const int GeneratedNameAttempts = 8;

    public async Task<ContainerRecord> CreateAsync(ContainerCreateSpec spec, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var image = images.Inspect(spec.Image);
        bool generated = name is null or "";
        string chosen = generated ? records.GenerateName() : ContainerRecords.ValidateName(name!.TrimStart('/'));

        // The cache answers the common case before volumes are made; the store's claim (at the write) decides.
        records.EnsureNameFree(chosen);

        SecurityOptions.Parse(spec.SecurityOpt);
        spec = spec with { Resources = ResourceRules.Validate(spec.Resources, Environment.ProcessorCount) };
        NetworkAttachments.DnsServersOf(spec);
        var legacyLinks = links.Register(spec);
        Capabilities.Resolve(spec.CapAdd, spec.CapDrop);
        SysctlRules.Validate(spec);
        spec = ProcessOptionRules.Validate(spec, image.Config.Config, runtime.UserNamespace is not null);

        var config = image.Config.Config;
        var entrypoint = spec.Entrypoint ?? [.. config?.Entrypoint ?? []];
        var cmd = spec.Cmd ?? (spec.Entrypoint is null ? [.. config?.Cmd ?? []] : []);
        var draft = new ContainerRecord
        {
            Id = ContainerId.New(),
            Name = chosen,
            Created = DateTimeOffset.UtcNow,
            Spec = spec with { Endpoints = spec.EffectiveEndpoints() },
            ExplicitEndpoints = true,
            ImageId = image.Id,
            Command = [.. entrypoint, .. cmd],
            LegacyLinks = legacyLinks,
        };
        if (draft.Command.IsEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "No command specified");
        }

        VolumesFrom.Inherit(spec.VolumesFrom, records.Find);
        var record = await volumes.CreateWithMountsAsync(spec, image, async mounts =>
        {
            // Looked up again under the volume catalog, so no inherited volume is removed before the record is written.
            var withMounts = draft with { Mounts = VolumesFrom.Merge(mounts, VolumesFrom.Inherit(spec.VolumesFrom, records.Find)) };
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return await records.CreateAsync(withMounts, cancellationToken).ConfigureAwait(false);
                }
                catch (BerthException e) when (generated && e.Kind == ErrorKind.Conflict && attempt < GeneratedNameAttempts)
                {
                    // Another daemon sharing the store took the generated name since the cache saw it: draw again.
                    withMounts = withMounts with { Name = records.GenerateName() };
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        directories.Create(record.Id);
        return record;
    }

    /// <summary>Starts a created or exited container; false when it was already running (Docker's 304).</summary>
    public async Task<bool> StartAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var id = records.Find(idOrName).Id;
        using (await slots.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var record = records.Get(id);
            if (record.Status is ContainerStatus.Running or ContainerStatus.Restarting)
            {
                return false;
            }

            try
            {
                await runner.StartLockedAsync(record, byUser: true, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (record.Spec.AutoRemove)
            {
                // Docker removes a --rm container whose start failed: the CLI, waiting for "removed",
                // then prints this error and exits 127/126. The wait gets the start's exit code.
                slots.CompleteExit(id, ExecStartFailure.ExitCodeFor(e.Message));
                await runner.RemoveLockedAsync(id, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            return true;
        }
    }

    /// <summary>
    /// The stop signal (<paramref name="signal"/>, else the container's, else SIGTERM), then SIGKILL after
    /// <paramref name="timeout"/> (null: the container's <c>--stop-timeout</c>, else 10 s); returns once the exit is recorded.
    /// </summary>
    public async Task StopAsync(string idOrName, TimeSpan? timeout, string? signal = null, CancellationToken cancellationToken = default)
    {
        var record = records.Find(idOrName);
        await StopAsync(record, timeout, signal, cancellationToken).ConfigureAwait(false);
    }

    public async Task KillAsync(string idOrName, string signal, CancellationToken cancellationToken = default)
    {
        var record = records.Find(idOrName);
        if (record.Status is not (ContainerStatus.Running or ContainerStatus.Restarting))
        {
            throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        }

        await restarts.CancelAsync(record.Id, cancellationToken).ConfigureAwait(false);
        if (record.Status == ContainerStatus.Restarting)
        {
            return;
        }

        await ThawAsync(record.Id, cancellationToken).ConfigureAwait(false);
        await runtime.KillAsync(record.Id.Value, signal, cancellationToken).ConfigureAwait(false);
        events.Kill(record, signal);
    }

    /// <summary><c>docker restart</c>: stop (as <see cref="StopAsync(string, TimeSpan?, string?, CancellationToken)"/>), then start; a new StartedAt, the same addresses.</summary>
    public async Task RestartAsync(string idOrName, TimeSpan? timeout, string? signal = null, CancellationToken cancellationToken = default)
    {
        var id = records.Find(idOrName).Id;
        using (restarts.BeginManualRestart(id))
        {
            await StopAsync(records.Get(id), timeout, signal, cancellationToken).ConfigureAwait(false);
            using (await slots.LockAsync(id, cancellationToken).ConfigureAwait(false))
            {
                var record = records.Get(id);
                if (record.Status != ContainerStatus.Running)
                {
                    record = await runner.StartLockedAsync(record, byUser: true, cancellationToken).ConfigureAwait(false);
                }

                events.Container(record, "restart");
            }
        }
    }

    /// <summary>Docker's wait: <c>next-exit</c>, <c>not-running</c> (default) or <c>removed</c>; returns the exit code.</summary>
    public async Task<int> WaitAsync(string idOrName, string condition, CancellationToken cancellationToken = default)
    {
        var record = records.Find(idOrName);
        switch (condition)
        {
            case "next-exit":
                return await slots.NextExit(record.Id).WaitAsync(cancellationToken).ConfigureAwait(false);
            case "removed":
                // A container removed without ever exiting (a --rm whose start failed) completes its exit first.
                int code = record.Status == ContainerStatus.Exited ? record.ExitCode : await slots.NextExit(record.Id).WaitAsync(cancellationToken).ConfigureAwait(false);
                await slots.Removal(record.Id).WaitAsync(cancellationToken).ConfigureAwait(false);
                return code;
            case "" or "not-running":
                return record.Status == ContainerStatus.Running ? await slots.NextExit(record.Id).WaitAsync(cancellationToken).ConfigureAwait(false) : record.ExitCode;
            default:
                throw new BerthException(ErrorKind.InvalidArgument, $"invalid condition: \"{condition}\"; use next-exit, not-running or removed");
        }
    }

    /// <summary><c>docker rm [-f] [-v]</c>: with <paramref name="removeVolumes"/>, the container's anonymous volumes go too (unless another container uses one).</summary>
    public async Task RemoveAsync(string idOrName, bool force, bool removeVolumes, CancellationToken cancellationToken = default)
    {
        var record = records.Find(idOrName);
        if (record.Status is ContainerStatus.Running or ContainerStatus.Restarting)
        {
            if (!force && record.Paused)
            {
                throw new BerthException(ErrorKind.Conflict,
                    $"You cannot remove a paused container {record.Id}. Unpause and then stop the container before attempting removal or force remove");
            }

            if (!force)
            {
                throw new BerthException(ErrorKind.Conflict,
                    $"You cannot remove a {(record.Status == ContainerStatus.Running ? "running" : "restarting")} container {record.Id}. Stop the container before attempting removal or force remove");
            }

            await restarts.CancelAsync(record.Id, cancellationToken).ConfigureAwait(false);
        }

        if (records.TryGet(record.Id)?.Status == ContainerStatus.Running)
        {
            await ThawAsync(record.Id, cancellationToken).ConfigureAwait(false);
            var exit = slots.NextExit(record.Id);
            try
            {
                await runtime.KillAsync(record.Id.Value, "KILL", cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException)
            {
                // Dead already ("container not running"): the removal goes on, as Docker's forced one does.
                if (await RunsAsync(record.Id, cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }
            }

            await Task.WhenAny(exit, Task.Delay(ExitRecordWait, cancellationToken)).ConfigureAwait(false);
        }

        using (await slots.LockAsync(record.Id, cancellationToken).ConfigureAwait(false))
        {
            await runner.RemoveLockedAsync(record.Id, cancellationToken).ConfigureAwait(false);
        }

        if (removeVolumes)
        {
            await volumes.RemoveAnonymousAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives the container a new name (running or not), with Docker's errors.</summary>
    public async Task RenameAsync(string idOrName, string newName, CancellationToken cancellationToken = default)
    {
        var id = records.Find(idOrName).Id;
        using (await slots.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            var record = records.Get(id);
            string name = (newName ?? "").TrimStart('/');
            if (name.Length == 0)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "Neither old nor new names may be empty");
            }

            if (name == record.Name)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "Renaming a container with the same name as its current name");
            }

            records.EnsureNameFree(ContainerRecords.ValidateName(name));

            // The claim of the new name, its old one's release and the record are one store transaction.
            var renamed = await records.RenameAsync(record, name, cancellationToken).ConfigureAwait(false);
            await network.RenamedAsync(renamed, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StopAsync(ContainerRecord record, TimeSpan? timeout, string? signal, CancellationToken cancellationToken)
    {
        signal = signal is { Length: > 0 } asked ? Signals.Validate(asked) : record.Spec.StopSignal ?? Signals.DefaultStop;
        TimeSpan grace = timeout ?? StopTimeoutOf(record.Spec);
        if (record.Status is ContainerStatus.Running or ContainerStatus.Restarting)
        {
            await restarts.CancelAsync(record.Id, cancellationToken).ConfigureAwait(false);
        }

        if (record.Status != ContainerStatus.Running)
        {
            return;
        }

        await ThawAsync(record.Id, cancellationToken).ConfigureAwait(false);
        var exit = slots.NextExit(record.Id);
        events.Kill(record, signal);
        await runtime.StopAsync(record.Id.Value, grace, signal, cancellationToken).ConfigureAwait(false);

        // The watcher records the exit within its poll interval; do not hang if it already had.
        await Task.WhenAny(exit, Task.Delay(ExitRecordWait, cancellationToken)).ConfigureAwait(false);
        events.Container(record, "stop");
    }

    /// <summary>Whether runc still has a process for the container (running, paused, or created and waiting to start).</summary>
    private async Task<bool> RunsAsync(ContainerId id, CancellationToken cancellationToken)
    {
        try
        {
            return (await runtime.StateAsync(id.Value, cancellationToken).ConfigureAwait(false)).Status is not Containers.ContainerStatus.Stopped;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }

    /// <summary>The grace a stop without <c>-t</c> gives: <c>--stop-timeout</c> (-1: for ever), else Docker's 10 s.</summary>
    public static TimeSpan StopTimeoutOf(ContainerCreateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.StopTimeout switch
        {
            null => DefaultStopTimeout,
            < 0 => Timeout.InfiniteTimeSpan,
            int seconds => TimeSpan.FromSeconds(seconds),
        };
    }

    /// <summary>
    /// Docker thaws a paused container before a stop, a kill or a forced removal (moby killWithSignal): frozen, its
    /// processes could not handle the signal, and the cgroup v1 freezer holds back even SIGKILL until the thaw.
    /// </summary>
    private async Task ThawAsync(ContainerId id, CancellationToken cancellationToken)
    {
        if (records.TryGet(id) is not { Paused: true })
        {
            return;
        }

        using (await slots.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            if (records.TryGet(id) is not { Paused: true, Status: ContainerStatus.Running })
            {
                return;
            }

            try
            {
                await runtime.ResumeAsync(id.Value, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Gone meanwhile: its exit clears the flag.
            }

            await records.SaveAsync(id, r => r with { Paused = false }, cancellationToken).ConfigureAwait(false);
        }
    }
}
