using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Runtime.Engine;

/// <summary>Stopping, waiting, removing, and the watcher that records each exit.</summary>
public sealed partial class ContainerManager
{
    /// <summary>SIGTERM, then SIGKILL after <paramref name="timeout"/>; returns once the exit is recorded.</summary>
    public async Task StopAsync(string idOrName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var record = Find(idOrName);
        if (record.Status is ContainerStatus.Running or ContainerStatus.Restarting)
        {
            await CancelRestartAsync(record.Id, cancellationToken).ConfigureAwait(false);
        }

        if (record.Status != ContainerStatus.Running)
        {
            return;
        }

        var exit = ExitOf(record.Id);
        PublishContainerEvent(record, "kill", ("signal", "15"));
        await _runtime.StopAsync(record.Id, timeout, cancellationToken).ConfigureAwait(false);

        // The watcher records the exit within its poll interval; do not hang if it already had.
        await Task.WhenAny(exit, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken)).ConfigureAwait(false);
        PublishContainerEvent(record, "stop");
    }

    public async Task KillAsync(string idOrName, string signal, CancellationToken cancellationToken = default)
    {
        var record = Find(idOrName);
        if (record.Status is not (ContainerStatus.Running or ContainerStatus.Restarting))
        {
            throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        }

        await CancelRestartAsync(record.Id, cancellationToken).ConfigureAwait(false);
        if (record.Status == ContainerStatus.Restarting)
        {
            return;
        }

        await _runtime.KillAsync(record.Id, signal, cancellationToken).ConfigureAwait(false);
        PublishContainerEvent(record, "kill", ("signal", SignalNumber(signal)));
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
                // A container removed without ever exiting (a --rm whose start failed) completes its exit first.
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
        if (record.Status is ContainerStatus.Running or ContainerStatus.Restarting)
        {
            if (!force)
            {
                throw new BerthException(ErrorKind.Conflict,
                    $"You cannot remove a {(record.Status == ContainerStatus.Running ? "running" : "restarting")} container {record.Id}. Stop the container before attempting removal or force remove");
            }

            await CancelRestartAsync(record.Id, cancellationToken).ConfigureAwait(false);
        }

        if (Find(record.Id).Status == ContainerStatus.Running)
        {
            var exit = ExitOf(record.Id);
            await _runtime.KillAsync(record.Id, "KILL", cancellationToken).ConfigureAwait(false);
            await Task.WhenAny(exit, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken)).ConfigureAwait(false);
        }

        using (await _locks.LockAsync(record.Id, cancellationToken).ConfigureAwait(false))
        {
            await RemoveLockedAsync(record.Id, cancellationToken).ConfigureAwait(false);
        }
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
        using (await _locks.LockAsync(id).ConfigureAwait(false))
        {
            if (!_containers.TryGetValue(id, out var record) || record.Status != ContainerStatus.Running)
            {
                return;
            }

            StopHealthMonitor(id);
            _networks.Withdraw(id, record.Ports);
            var leaving = _endpoints.OfContainer(id);
            await _networks.ReleaseAsync(id, record.Name, CancellationToken.None).ConfigureAwait(false);
            await PublishEndpointEventsAsync(id, leaving, "disconnect").ConfigureAwait(false);
            var finishedAt = _time.GetUtcNow();
            record = record with { Status = ContainerStatus.Exited, ExitCode = code, FinishedAt = finishedAt, Pid = 0, Ports = [] };
            var restartDelay = RestartDelayAfter(record);
            record = await SaveAsync(id, r => r with
            {
                Status = restartDelay is null ? ContainerStatus.Exited : ContainerStatus.Restarting,
                ExitCode = code,
                FinishedAt = finishedAt,
                Pid = 0,
                Ports = [],
                RestartCount = restartDelay is null ? r.RestartCount : r.RestartCount + 1,
            }, CancellationToken.None).ConfigureAwait(false);
            CompleteExit(id, code);
            if (restartDelay is { } delay)
            {
                ScheduleRestart(id, delay);
            }
            else if (record.Spec.AutoRemove && !IsManualRestart(id))
            {
                // --rm: removed once whoever is attached has read the last of the output.
                var removal = Task.Run(async () =>
                {
                    await WaitForLogReadersAsync(id).ConfigureAwait(false);
                    await RemoveAsync(id, force: true, removeVolumes: true).ConfigureAwait(false);
                });
                lock (_autoRemovals)
                {
                    _autoRemovals.RemoveAll(t => t.IsCompleted);
                    _autoRemovals.Add(removal);
                }
            }
        }
    }

    private async Task RemoveLockedAsync(string id, CancellationToken cancellationToken)
    {
        if (!_containers.TryGetValue(id, out var record))
        {
            return;
        }

        _networks.Withdraw(id, record.Ports);
        await _networks.ReleaseAsync(id, record.Name, cancellationToken).ConfigureAwait(false);
        if (_runtime.Runc.Exists(id) || Directory.Exists(BundleOf(id)))
        {
            await _runtime.DeleteAsync(id, force: true, cancellationToken).ConfigureAwait(false);
        }

        await _records.RemoveAsync(id, cancellationToken).ConfigureAwait(false);
        ForgetExecs(id);
        ImmutableInterlocked.TryRemove(ref _health, id, out _);
        ForgetRestartState(id);
        if (Directory.Exists(Path.Combine(_root, id)))
        {
            Directory.Delete(Path.Combine(_root, id), recursive: true);
        }
        PublishContainerEvent(record, "destroy");
        CompleteExit(id, record.ExitCode);
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
}
