using System.Collections.Immutable;
using System.Security.Cryptography;
using Berth.Core.Containers;
using System.Text;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// HEALTHCHECK: a <see cref="HealthMonitor"/> per running container that has one, probing through the exec
/// engine. Started with the container (and again for running containers when berthd restarts, from
/// <c>starting</c>, as moby does), stopped when it exits or berthd stops; the last state stays for inspect. A service
/// task's probes also move it in and out of its service's rotation (<paramref name="rotation"/>, <see cref="ServiceRotation"/>).
/// </summary>
public sealed partial class HealthMonitors(ContainerRecords records, ContainerProcesses processes, ContainerEvents events, ILogger logger, TimeProvider? time = null,
    ServiceRotation? rotation = null) : IAsyncDisposable
{
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<ContainerId, (CancellationTokenSource Stop, Task Loop)> _healthMonitors = [];
    private ImmutableDictionary<ContainerId, HealthState> _health = ImmutableDictionary<ContainerId, HealthState>.Empty;

    /// <summary>The container's effective healthcheck (request over image), or null when it has none.</summary>
    public Healthcheck? HealthcheckOf(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return HealthcheckOf(record, processes.ImageOf(record));
    }

    /// <summary>The container's effective healthcheck with its image already at hand.</summary>
    public static Healthcheck? HealthcheckOf(ContainerRecord record, ImageDetails image)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(image);
        return Healthcheck.Resolve(record.Spec.Healthcheck, image.Config.Config?.Healthcheck);
    }

    /// <summary>State.Health, or null for a container without a healthcheck (or never started).</summary>
    public HealthState? HealthOf(ContainerId id) => _health.GetValueOrDefault(id);

    /// <summary>Starts the container's monitor (from <c>starting</c>) if it has a healthcheck; the one it had before is stopped.</summary>
    public void Start(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Healthcheck? check;
        try
        {
            check = HealthcheckOf(record);
        }
        catch (BerthException e)
        {
            HealthcheckUnusable(logger, record.Id, e.Message);
            return;
        }

        if (check is null || record.StartedAt is not { } startedAt)
        {
            return;
        }

        Stop(record.Id);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        var monitor = new HealthMonitor(check, startedAt, token => ProbeAsync(record.Id, check.Command, token), _time,
            state => events.Health(records.TryGet(record.Id), _health.GetValueOrDefault(record.Id), ImmutableInterlocked.AddOrUpdate(ref _health, record.Id, state, (_, _) => state)),
            rotation?.FollowerOf(record), paused: () => records.TryGet(record.Id) is { Paused: true });
        var loop = Task.Run(async () =>
        {
            try
            {
                await monitor.RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped with the container or berthd.
            }
        });
        lock (_healthMonitors)
        {
            _healthMonitors[record.Id] = (stop, loop);
        }
    }

    /// <summary>Stops the container's monitor (it exited); its last state stays for inspect.</summary>
    public void Stop(ContainerId id)
    {
        (CancellationTokenSource Stop, Task Loop) monitor;
        lock (_healthMonitors)
        {
            if (!_healthMonitors.Remove(id, out monitor))
            {
                return;
            }
        }

        monitor.Stop.Cancel();
        _ = monitor.Loop.ContinueWith(_ => monitor.Stop.Dispose(), TaskScheduler.Default);
    }

    /// <summary>Forgets a removed container's health.</summary>
    public void Forget(ContainerId id)
    {
        Stop(id);
        ImmutableInterlocked.TryRemove(ref _health, id, out _);
    }

    /// <summary>berthd is stopping: every monitor ends (a probe in flight is killed).</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] loops;
        lock (_healthMonitors)
        {
            loops = [.. _healthMonitors.Values.Select(m => m.Loop)];
            foreach (var monitor in _healthMonitors.Values)
            {
                monitor.Stop.Cancel();
            }
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    /// <summary>Runs the check in the container once: its exit code and its output (stdout and stderr, at most <see cref="HealthMonitor.MaxOutputBytes"/>).</summary>
    private async Task<(int ExitCode, string Output)> ProbeAsync(ContainerId id, ImmutableArray<string> command, CancellationToken cancellationToken)
    {
        var record = records.TryGet(id);
        if (record is null || record.Status != ContainerStatus.Running)
        {
            return (HealthMonitor.TimedOutExitCode, $"Container {id} is not running");
        }

        string probeId = "health-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        ExecProcess process;
        try
        {
            process = await processes.StartAsync(record, probeId, new ExecSpec { Args = command }, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            return (HealthMonitor.TimedOutExitCode, e.Message);
        }

        await using (process.ConfigureAwait(false))
        {
            var output = new MemoryStream();
            await using (cancellationToken.Register(process.Kill).ConfigureAwait(false))
            {
                await process.PumpOutputAsync((_, bytes) =>
                {
                    int room = HealthMonitor.MaxOutputBytes - (int)output.Length;
                    output.Write(bytes.Span[..Math.Min(room, bytes.Length)]);
                    return ValueTask.CompletedTask;
                }, CancellationToken.None).ConfigureAwait(false);
                var exit = await process.Exited.ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                return (exit.ExitCode, Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length));
            }
        }
    }

    [LoggerMessage(EventId = 5320, Level = LogLevel.Warning, Message = "container {Id}: its healthcheck cannot be used, no health monitor: {Message}")]
    private static partial void HealthcheckUnusable(ILogger logger, ContainerId id, string message);
}
