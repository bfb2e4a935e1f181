using Berth.Core.Containers;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>The watcher of each run: its exit recorded, the network released, then the restart policy's delay or, for <c>--rm</c>, the removal.</summary>
public sealed partial class ContainerRunner
{
    /// <summary>Follows the run until its exit (conmon's exit file), then records it.</summary>
    private void Watch(ContainerId id)
    {
        var shutdown = _shutdown.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                int code = await runtime.WaitAsync(id.Value, shutdown).ConfigureAwait(false);
                await OnExitedAsync(id, code).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // berthd is stopping; the next berthd adopts the container.
            }
            catch (BerthException e)
            {
                WatchFailed(logger, id.Short, e.Message);
                await OnExitedAsync(id, -1).ConfigureAwait(false);
            }
        });
    }

    private async Task OnExitedAsync(ContainerId id, int code)
    {
        using (await slots.LockAsync(id).ConfigureAwait(false))
        {
            if (records.TryGet(id) is not { Status: ContainerStatus.Running } record)
            {
                return;
            }

            health.Stop(id);

            // The run's last output reaches its log before anyone is told it exited (docker wait, then docker logs).
            await streams.StopLoggingAsync(id).ConfigureAwait(false);

            // Read before anything deletes the runtime's state (and with it the cgroup, where the kernel counted them).
            bool oomKilled = cgroups.OomKilled(id);
            if (oomKilled)
            {
                events.Container(record, "oom");
            }

            try
            {
                // Best effort: the exit is recorded whatever the release says (a run recorded as running after it ended
                // would be adopted, its endpoints published, by every later start). What was not released waits
                // withheld for the next change of networks.
                await network.DetachAsync(id, record.Name, record.Ports, publishEvents: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BerthException e)
            {
                ReleaseAtExitFailed(logger, record.ShortId, e.Message);
            }

            foreach (var mount in record.Mounts.Where(m => m.IsVolume))
            {
                events.Volume("unmount", mount.Name, ("container", id.Value));
            }

            var finishedAt = _time.GetUtcNow();
            var restartDelay = restarts.DelayAfter(record with { Status = ContainerStatus.Exited, ExitCode = code, FinishedAt = finishedAt, Pid = 0, Ports = [] });
            record = await records.SaveAsync(id, r => r with
            {
                Status = restartDelay is null ? ContainerStatus.Exited : ContainerStatus.Restarting,
                ExitCode = code,
                FinishedAt = finishedAt,
                Pid = 0,
                Paused = false,
                OomKilled = oomKilled,
                Ports = [],
                RestartCount = restartDelay is null ? r.RestartCount : r.RestartCount + 1,
            }, CancellationToken.None).ConfigureAwait(false);
            slots.CompleteExit(id, code);
            if (restartDelay is { } delay)
            {
                restarts.Schedule(id, delay, (restarting, cancellationToken) => StartWhenNetworksKnownLockedAsync(restarting, byUser: false, cancellationToken));
            }
            else if (record.Spec.AutoRemove && !restarts.IsManualRestart(id))
            {
                RemoveAutomatically(record);
            }
        }
    }

    /// <summary>--rm: removed, with its anonymous volumes, once whoever is attached has read the last of the output.</summary>
    private void RemoveAutomatically(ContainerRecord exited)
    {
        var removal = Task.Run(async () =>
        {
            await streams.WaitForLogReadersAsync(exited.Id).ConfigureAwait(false);
            using (await slots.LockAsync(exited.Id).ConfigureAwait(false))
            {
                // Started again meanwhile (docker start while an attach was still reading): it stays.
                if (records.TryGet(exited.Id) is not { Status: ContainerStatus.Exited })
                {
                    return;
                }

                await RemoveLockedAsync(exited.Id).ConfigureAwait(false);
            }

            await volumes.RemoveAnonymousAsync(exited).ConfigureAwait(false);
        });
        lock (_autoRemovals)
        {
            _autoRemovals.RemoveAll(t => t.IsCompleted);
            _autoRemovals.Add(removal);
        }
    }

    [LoggerMessage(EventId = 5300, Level = LogLevel.Warning, Message = "watching container {Id} failed: {Message}")]
    private static partial void WatchFailed(ILogger logger, string id, string message);

    [LoggerMessage(EventId = 5306, Level = LogLevel.Warning, Message = "container {Id} exited; releasing its network failed, tried again at the next change of networks: {Message}")]
    private static partial void ReleaseAtExitFailed(ILogger logger, string id, string message);
}
