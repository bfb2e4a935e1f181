using Berth.Core.Errors;
using Berth.Core.Concurrency;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// Restart policies (Docker's restart manager): after an exit the policy decides, the container waits
/// out <see cref="RestartBackoff"/> as <c>restarting</c>, then goes through the ordinary start path.
/// A stop or kill by the user cancels that until the user starts it again; berthd's own start brings
/// back <c>always</c> containers, and <c>unless-stopped</c> ones the user did not stop.
/// </summary>
public sealed partial class ContainerManager
{
    private readonly Dictionary<string, RestartBackoff> _backoffs = [];

    /// <summary>Containers whose restart manager the user cancelled (stop, kill, rm -f, restart): their next exit is final.</summary>
    private readonly HashSet<string> _restartCanceled = [];

    /// <summary>Restarts waiting out their delay, by container.</summary>
    private readonly Dictionary<string, CancellationTokenSource> _pendingRestarts = [];

    /// <summary>Containers in a <c>docker restart</c>: their exit is not the end of an auto-removed container.</summary>
    private readonly HashSet<string> _manualRestarts = [];

    /// <summary><c>docker restart</c>: stop (SIGTERM, SIGKILL after <paramref name="timeout"/>), then start; a new StartedAt, the same addresses.</summary>
    public async Task RestartAsync(string idOrName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        string id = Find(idOrName).Id;
        lock (_manualRestarts)
        {
            _manualRestarts.Add(id);
        }

        try
        {
            await StopAsync(id, timeout, cancellationToken).ConfigureAwait(false);
            using (await _locks.LockAsync(id, cancellationToken).ConfigureAwait(false))
            {
                var record = Find(id);
                if (record.Status != ContainerStatus.Running)
                {
                    record = await StartLockedAsync(record, byUser: true, cancellationToken).ConfigureAwait(false);
                }

                PublishContainerEvent(record, "restart");
            }
        }
        finally
        {
            lock (_manualRestarts)
            {
                _manualRestarts.Remove(id);
            }
        }
    }

    /// <summary>
    /// After berthd starts: containers berthd would have restarted (a pending restart, or an exit the
    /// policy calls for, of a container that ran before) are started again, in the background.
    /// </summary>
    private void StartRestartable()
    {
        var due = _containers.Values
            .Where(c => c.Status == ContainerStatus.Restarting
                || (c.Status == ContainerStatus.Exited && c.StartedAt is not null && c.Spec.RestartPolicy.ShouldRestart(c.ExitCode, c.ManuallyStopped, c.RestartCount)))
            .Select(c => c.Id)
            .ToList();
        if (due.Count == 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            foreach (string id in due)
            {
                try
                {
                    using (await _locks.LockAsync(id, _shutdown.Token).ConfigureAwait(false))
                    {
                        if (_containers.TryGetValue(id, out var record) && record.Status is ContainerStatus.Exited or ContainerStatus.Restarting)
                        {
                            await StartLockedAsync(record, byUser: true, _shutdown.Token).ConfigureAwait(false);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (BerthException e)
                {
                    RestartFailed(_logger, id, e.Message);
                }
            }
        });
    }

    /// <summary>
    /// Called with the gate held when a running container exited: the delay before its restart, or null
    /// when the policy (or the user, by stopping it) says it stays exited.
    /// </summary>
    private TimeSpan? RestartDelayAfter(ContainerRecord exited)
    {
        lock (_restartCanceled)
        {
            if (_restartCanceled.Contains(exited.Id))
            {
                return null;
            }
        }

        if (!exited.Spec.RestartPolicy.ShouldRestart(exited.ExitCode, exited.ManuallyStopped, exited.RestartCount))
        {
            return null;
        }

        lock (_backoffs)
        {
            if (!_backoffs.TryGetValue(exited.Id, out var backoff))
            {
                backoff = new RestartBackoff();
                _backoffs[exited.Id] = backoff;
            }

            var ranFor = (exited.FinishedAt ?? _time.GetUtcNow()) - (exited.StartedAt ?? _time.GetUtcNow());
            return backoff.Next(ranFor);
        }
    }

    /// <summary>Starts the container (now <c>restarting</c>) again after <paramref name="delay"/>, unless the user intervenes first.</summary>
    private void ScheduleRestart(string id, TimeSpan delay)
    {
        var pending = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        lock (_pendingRestarts)
        {
            _pendingRestarts[id] = pending;
        }

        _ = Task.Run(async () =>
        {
            KeyedLock<string>.Releaser held;
            try
            {
                await Task.Delay(delay, _time, pending.Token).ConfigureAwait(false);
                held = await _locks.LockAsync(id, pending.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                // Cancelled by the user (who set the state) or berthd stopping (the next one starts it).
                return;
            }

            try
            {
                lock (_pendingRestarts)
                {
                    if (!_pendingRestarts.TryGetValue(id, out var current) || current != pending)
                    {
                        return;
                    }

                    _pendingRestarts.Remove(id);
                }

                if (_containers.TryGetValue(id, out var record) && record.Status == ContainerStatus.Restarting)
                {
                    try
                    {
                        await StartLockedAsync(record, byUser: false, _shutdown.Token).ConfigureAwait(false);
                    }
                    catch (BerthException e)
                    {
                        RestartFailed(_logger, id, e.Message);
                        await SaveAsync(id, r => r with { Status = ContainerStatus.Exited }, CancellationToken.None).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                held.Dispose();
                pending.Dispose();
            }
        });
    }

    /// <summary>
    /// The user stops, kills or removes the container: its next exit is final, it counts as manually
    /// stopped, and a restart waiting out its delay is called off (the container is then exited).
    /// </summary>
    private async Task CancelRestartAsync(string id, CancellationToken cancellationToken)
    {
        lock (_restartCanceled)
        {
            _restartCanceled.Add(id);
        }

        using (await _locks.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            lock (_pendingRestarts)
            {
                if (_pendingRestarts.Remove(id, out var pending))
                {
                    pending.Cancel();
                }
            }

            if (_containers.TryGetValue(id, out var record) && (!record.ManuallyStopped || record.Status == ContainerStatus.Restarting))
            {
                var status = record.Status == ContainerStatus.Restarting ? ContainerStatus.Exited : record.Status;
                await SaveAsync(id, r => r with { ManuallyStopped = true, Status = status }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A start by the user: a fresh restart manager (no cancellation, the delay from 100 ms again).</summary>
    private void ResetRestartManager(string id)
    {
        lock (_restartCanceled)
        {
            _restartCanceled.Remove(id);
        }

        lock (_backoffs)
        {
            _backoffs.Remove(id);
        }
    }

    private bool IsManualRestart(string id)
    {
        lock (_manualRestarts)
        {
            return _manualRestarts.Contains(id);
        }
    }

    private void ForgetRestartState(string id)
    {
        ResetRestartManager(id);
        lock (_pendingRestarts)
        {
            if (_pendingRestarts.Remove(id, out var pending))
            {
                pending.Cancel();
            }
        }
    }

    [LoggerMessage(EventId = 5310, Level = LogLevel.Warning, Message = "restarting container {Id} failed: {Message}")]
    private static partial void RestartFailed(ILogger logger, string id, string message);
}
