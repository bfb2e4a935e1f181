using System.Collections.Immutable;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Engine;

/// <summary>
/// Log drivers: while a container runs, a pump (<see cref="ContainerLogPump"/>) carries conmon's output into the
/// driver's log every <see cref="PumpInterval"/>, and once more when the run has ended, before its exit is recorded;
/// <c>docker logs</c> pumps first, so it shows all that conmon wrote. After a berthd restart every container's pump
/// resumes at its checkpoint: what conmon wrote meanwhile reaches the log.
/// </summary>
public sealed partial class ContainerStreams
{
    /// <summary>How often a running container's output is carried to its log: the delay of <c>docker logs -f</c>.</summary>
    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The tag template's <c>DaemonName</c> (moby's <c>logger.Info.DaemonName</c>).</summary>
    private const string DaemonName = "docker";

    private const string CheckpointFile = "log.checkpoint";

    private readonly Dictionary<ContainerId, PumpLoop> _pumps = [];
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public LogConfig DefaultLogConfig { get; } = defaultLog ?? LogConfig.Default;

    public LogConfig ResolveLogConfig(LogConfig? requested) => LogDrivers.Resolve(requested, DefaultLogConfig);

    public LogConfig LogConfigOf(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Spec.LogConfig ?? LogConfig.Default;
    }

    public string LogFileOf(ContainerRecord record) =>
        LogDrivers.Check(LogConfigOf(record)) is { Kind: LogDriverKind.JsonFile } settings ? settings.FileIn(directories.Of(record.Id), record.Id.Value)! : "";

    public ContainerLogFollower OpenLog(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var settings = LogDrivers.Check(LogConfigOf(record));
        if (!settings.Reads)
        {
            throw new BerthException(ErrorKind.NotSupported, "configured logging driver does not support reading");
        }

        PumpLoop? loop;
        lock (_pumps)
        {
            _pumps.TryGetValue(record.Id, out loop);
        }

        loop?.PumpOnce();
        return DriverLog.Open(settings.FileIn(directories.Of(record.Id), record.Id.Value)!, settings.Rotation, settings.Format(ImmutableSortedDictionary<string, string>.Empty)!);
    }

    /// <summary>Starts carrying the container's output to its driver's log (a run starts; berthd found it running).</summary>
    public void StartLogging(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!LogDrivers.Check(LogConfigOf(record)).Keeps)
        {
            return;
        }

        lock (_pumps)
        {
            if (!_pumps.ContainsKey(record.Id))
            {
                var loop = new PumpLoop(this, record);
                _pumps[record.Id] = loop;
                loop.Task = Task.Run(() => RunAsync(loop, loop.Stop.Token));
            }
        }
    }

    /// <summary>Carries the last of the run's output and stops (the run ended; the container goes).</summary>
    public async Task StopLoggingAsync(ContainerId id)
    {
        PumpLoop? loop;
        lock (_pumps)
        {
            _pumps.Remove(id, out loop);
        }

        if (loop is null)
        {
            return;
        }

        await loop.Stop.CancelAsync().ConfigureAwait(false);
        await loop.Task.ConfigureAwait(false);
        loop.PumpOnce();
        loop.Dispose();
    }

    /// <summary>berthd stops: each pump carries what is left; the next berthd resumes at the checkpoints.</summary>
    public async Task StopAllLoggingAsync()
    {
        ContainerId[] ids;
        lock (_pumps)
        {
            ids = [.. _pumps.Keys];
        }

        foreach (var id in ids)
        {
            await StopLoggingAsync(id).ConfigureAwait(false);
        }
    }

    /// <summary>berthd's start: what conmon wrote while berthd was away is carried, for stopped containers too; running ones keep pumping.</summary>
    public void RestoreLogging(IEnumerable<ContainerRecord> loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        foreach (var record in loaded)
        {
            if (record.Status == ContainerStatus.Running)
            {
                StartLogging(record);
            }
            else if (File.Exists(directories.LogOf(record.Id)) && LogDrivers.Check(LogConfigOf(record)).Keeps)
            {
                using var loop = new PumpLoop(this, record);
                loop.PumpOnce();
            }
        }
    }

    private ContainerLogPump OpenPump(ContainerRecord record)
    {
        var config = LogConfigOf(record);
        var settings = LogDrivers.Check(config);

        var tag = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ID"] = record.ShortId,
            ["FullID"] = record.Id.Value,
            ["Name"] = record.Name,
            ["ImageID"] = ShortImageId(record.ImageId),
            ["ImageFullID"] = record.ImageId,
            ["ImageName"] = record.Spec.Image,
            ["DaemonName"] = DaemonName,
        };
        var attrs = LogAttributes.Of(config, record.Spec.Labels, record.Spec.Env, tag);
        string directory = directories.Of(record.Id);
        return ContainerLogPump.Open(directories.LogOf(record.Id), settings.FileIn(directory, record.Id.Value)!, Path.Combine(directory, CheckpointFile), settings.Rotation, settings.Format(attrs)!);
    }

    private static async Task RunAsync(PumpLoop loop, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                loop.PumpOnce();
                await Task.Delay(PumpInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the caller carries the rest.
        }
    }

    private static string ShortImageId(string imageId) =>
        imageId.StartsWith("sha256:", StringComparison.Ordinal) ? imageId["sha256:".Length..][..Math.Min(12, imageId.Length - "sha256:".Length)] : imageId;

    /// <summary>One container's pump and its loop. A pass that fails drops the pump; the next opens it again from its checkpoint, so nothing of the failed pass is lost.</summary>
    private sealed class PumpLoop(ContainerStreams owner, ContainerRecord record) : IDisposable
    {
        private readonly Lock _gate = new();
        private ContainerLogPump? _pump;

        public CancellationTokenSource Stop { get; } = new();

        public Task Task { get; set; } = Task.CompletedTask;

        public void PumpOnce()
        {
            lock (_gate)
            {
                try
                {
                    _pump ??= owner.OpenPump(record);
                    _pump.Pump();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or BerthException)
                {
                    StreamsLog.PumpFailed(owner._logger, record.ShortId, e.Message);
                    _pump?.Dispose();
                    _pump = null;
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _pump?.Dispose();
                _pump = null;
            }

            Stop.Dispose();
        }
    }
}
