using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// HEALTHCHECK: a <see cref="HealthMonitor"/> per running container that has one, probing through the exec
/// engine. Started with the container (and again for running containers when berthd restarts, from
/// <c>starting</c>, as moby does), stopped when it exits or berthd stops; the last state stays for inspect.
/// </summary>
public sealed partial class ContainerManager
{
    private readonly Dictionary<string, (CancellationTokenSource Stop, Task Loop)> _healthMonitors = [];
    private ImmutableDictionary<string, HealthState> _health = ImmutableDictionary<string, HealthState>.Empty;

    /// <summary>The container's effective healthcheck (request over image), or null when it has none.</summary>
    public Healthcheck? HealthcheckOf(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Healthcheck.Resolve(record.Spec.Healthcheck, _images.Inspect(record.ImageId).Config.Config?.Healthcheck);
    }

    /// <summary>State.Health, or null for a container without a healthcheck (or never started).</summary>
    public HealthState? HealthOf(string id) => _health.GetValueOrDefault(id);

    private void StartHealthMonitor(ContainerRecord record)
    {
        Healthcheck? check;
        try
        {
            check = HealthcheckOf(record);
        }
        catch (BerthException e)
        {
            HealthcheckUnusable(_logger, record.Id, e.Message);
            return;
        }

        if (check is null || record.StartedAt is not { } startedAt)
        {
            return;
        }

        StopHealthMonitor(record.Id);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        var monitor = new HealthMonitor(check, startedAt, token => ProbeAsync(record.Id, check.Command, token), TimeProvider.System,
            state => PublishHealth(record.Id, _health.GetValueOrDefault(record.Id), ImmutableInterlocked.AddOrUpdate(ref _health, record.Id, state, (_, _) => state)));
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

    private void StopHealthMonitor(string id)
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

    /// <summary>berthd is stopping: every monitor ends (a probe in flight is killed with the other execs).</summary>
    private async Task StopHealthMonitorsAsync()
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
    }

    /// <summary>Runs the check in the container once: its exit code and its output (stdout and stderr, at most <see cref="HealthMonitor.MaxOutputBytes"/>).</summary>
    private async Task<(int ExitCode, string Output)> ProbeAsync(string id, ImmutableArray<string> command, CancellationToken cancellationToken)
    {
        var record = Find(id);
        if (record.Status != ContainerStatus.Running)
        {
            return (HealthMonitor.TimedOutExitCode, $"Container {id} is not running");
        }

        string probeId = "health-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        ExecProcess process;
        try
        {
            process = await StartProcessAsync(record, probeId, new ExecSpec { Args = command }, cancellationToken).ConfigureAwait(false);
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
    private static partial void HealthcheckUnusable(ILogger logger, string id, string message);
}
