using Berth.Core.Containers;
using Berth.Core.Concurrency;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// Restart policies (Docker's restart manager): after an exit the policy decides (<see cref="DelayAfter"/>), the
/// container waits out <see cref="RestartBackoff"/> as <c>restarting</c> (<see cref="Schedule"/>), then goes through
/// the ordinary start path, which the caller gives. A stop or kill by the user (<see cref="CancelAsync"/>) calls that
/// off until the user starts it again (<see cref="Reset"/>). State is in memory, per container, as dockerd's is.
/// </summary>
public sealed partial class RestartManager(ContainerRecords records, ContainerSlots slots, ILogger logger, TimeProvider? time = null) : IAsyncDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Dictionary<ContainerId, RestartBackoff> _backoffs = [];

    /// <summary>Containers whose restart manager the user cancelled (stop, kill, rm -f, restart): their next exit is final.</summary>
    private readonly HashSet<ContainerId> _canceled = [];

    /// <summary>Restarts waiting out their delay, by container.</summary>
    private readonly Dictionary<ContainerId, CancellationTokenSource> _pending = [];

    /// <summary>Containers in a <c>docker restart</c>: their exit is not the end of an auto-removed container.</summary>
    private readonly HashSet<ContainerId> _manual = [];

    /// <summary>
    /// Called with the container's lock held when it exited: the delay before its restart, or null when the policy (or
    /// the user, by stopping it) says it stays exited.
    /// </summary>
    public TimeSpan? DelayAfter(ContainerRecord exited)
    {
        ArgumentNullException.ThrowIfNull(exited);
        lock (_canceled)
        {
            if (_canceled.Contains(exited.Id))
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

    /// <summary>Whether berthd's own start brings the container back (a pending restart, or an exit the policy calls for, of one that ran).</summary>
    public static bool IsDueAtStartup(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Status == ContainerStatus.Restarting
            || (record.Status == ContainerStatus.Exited && record.StartedAt is not null && record.Spec.RestartPolicy.ShouldRestart(record.ExitCode, record.ManuallyStopped, record.RestartCount));
    }

    /// <summary>
    /// After <paramref name="delay"/>, under the container's lock, <paramref name="restart"/> the container (now
    /// <c>restarting</c>), unless the user intervened first; a start that fails leaves it exited.
    /// </summary>
    public void Schedule(ContainerId id, TimeSpan delay, Func<ContainerRecord, CancellationToken, Task> restart)
    {
        var shutdown = _shutdown.Token;
        var pending = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        lock (_pending)
        {
            _pending[id] = pending;
        }

        _ = Task.Run(async () =>
        {
            KeyedLock<ContainerId>.Releaser held;
            try
            {
                await Task.Delay(delay, _time, pending.Token).ConfigureAwait(false);
                held = await slots.LockAsync(id, pending.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                // Cancelled by the user (who set the state) or berthd stopping (the next one starts it).
                return;
            }

            try
            {
                lock (_pending)
                {
                    if (!_pending.TryGetValue(id, out var current) || current != pending)
                    {
                        return;
                    }

                    _pending.Remove(id);
                }

                if (records.TryGet(id) is { Status: ContainerStatus.Restarting } record)
                {
                    try
                    {
                        await restart(record, shutdown).ConfigureAwait(false);
                    }
                    catch (BerthException e)
                    {
                        RestartFailed(logger, id, e.Message);
                        await records.SaveAsync(id, r => r with { Status = ContainerStatus.Exited }, CancellationToken.None).ConfigureAwait(false);
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
    /// The user stops, kills or removes the container: its next exit is final, it counts as manually stopped, and a
    /// restart waiting out its delay is called off (the container is then exited). Takes the container's lock.
    /// </summary>
    public async Task CancelAsync(ContainerId id, CancellationToken cancellationToken = default)
    {
        lock (_canceled)
        {
            _canceled.Add(id);
        }

        using (await slots.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            CancelPending(id);
            if (records.TryGet(id) is { } record && (!record.ManuallyStopped || record.Status == ContainerStatus.Restarting))
            {
                var status = record.Status == ContainerStatus.Restarting ? ContainerStatus.Exited : record.Status;
                await records.SaveAsync(id, r => r with { ManuallyStopped = true, Status = status }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A start by the user: a fresh restart manager (no cancellation, the delay from 100 ms again).</summary>
    public void Reset(ContainerId id)
    {
        lock (_canceled)
        {
            _canceled.Remove(id);
        }

        lock (_backoffs)
        {
            _backoffs.Remove(id);
        }
    }

    /// <summary>Marks a <c>docker restart</c> until the result is disposed: its exit does not auto-remove the container.</summary>
    public IDisposable BeginManualRestart(ContainerId id)
    {
        lock (_manual)
        {
            _manual.Add(id);
        }

        return new ManualRestart(this, id);
    }

    public bool IsManualRestart(ContainerId id)
    {
        lock (_manual)
        {
            return _manual.Contains(id);
        }
    }

    /// <summary>A removed container: its state goes, a pending restart is called off.</summary>
    public void Forget(ContainerId id)
    {
        Reset(id);
        CancelPending(id);
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private void CancelPending(ContainerId id)
    {
        lock (_pending)
        {
            if (_pending.Remove(id, out var pending))
            {
                pending.Cancel();
            }
        }
    }

    private void EndManualRestart(ContainerId id)
    {
        lock (_manual)
        {
            _manual.Remove(id);
        }
    }

    [LoggerMessage(EventId = 5310, Level = LogLevel.Warning, Message = "restarting container {Id} failed: {Message}")]
    private static partial void RestartFailed(ILogger logger, ContainerId id, string message);

    private sealed class ManualRestart(RestartManager owner, ContainerId id) : IDisposable
    {
        public void Dispose() => owner.EndManualRestart(id);
    }
}
