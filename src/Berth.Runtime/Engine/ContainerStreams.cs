using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Logging;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// A container's standard streams: stdin through conmon, the terminal's size, conmon's log (bounded before each run),
/// the log driver's log (<c>ContainerStreams.Drivers.cs</c>), and the leases that keep an auto-removed container's log
/// while an attach still streams it.
/// </summary>
/// <param name="defaultLog">The daemon's log driver (<c>berthd --log-driver/--log-opt</c>), already checked; null is json-file.</param>
public sealed partial class ContainerStreams(ContainerRecords records, IContainerRuntime runtime, ContainerDirectories directories, LogConfig? defaultLog = null, ILogger? logger = null) : IContainerStreams
{
    /// <summary>How long an auto-removal waits for readers of the log to finish: <see cref="LeasePolls"/> × <see cref="LeasePollInterval"/> (5 s).</summary>
    private const int LeasePolls = 250;

    private static readonly TimeSpan LeasePollInterval = TimeSpan.FromMilliseconds(20);

    private readonly Dictionary<ContainerId, int> _logLeases = [];

    /// <summary>The running container's stdin; Conflict when it was made without <c>OpenStdin</c> or is not running.</summary>
    public async Task<IContainerStdin> ConnectStdinAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var record = records.Find(idOrName);
        if (!record.Spec.OpenStdin)
        {
            throw new BerthException(ErrorKind.Conflict, $"container {record.Name} was created without an open stdin; create it with -i to attach to its stdin");
        }

        if (record.Status != ContainerStatus.Running)
        {
            throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        }

        return await runtime.ConnectStdinAsync(record.Id.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Docker's resize: Conflict when the container is not running (moby's errNotRunning); a container
    /// without a TTY has nothing to resize and is left alone.
    /// </summary>
    public async Task ResizeAsync(string idOrName, uint height, uint width, CancellationToken cancellationToken = default)
    {
        var record = records.Find(idOrName);
        if (record.Status != ContainerStatus.Running)
        {
            throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        }

        if (record.Spec.Tty)
        {
            await runtime.ResizeAsync(record.Id.Value, height, width, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// conmon's k8s-file log of the container, which attach follows (every driver, none included) and the log
    /// driver's pump reads. It lives beside the bundle, not in it: a second start replaces the bundle, and conmon
    /// appends to the log.
    /// </summary>
    public string LogPathOf(string idOrName) => directories.LogOf(records.Find(idOrName).Id);

    /// <summary>Keeps an auto-removed container's log until the returned lease is disposed (an attach still streaming it).</summary>
    public IDisposable HoldLogs(ContainerId id)
    {
        lock (_logLeases)
        {
            _logLeases[id] = _logLeases.GetValueOrDefault(id) + 1;
        }

        return new LogLease(this, id);
    }

    /// <summary>Waits (a bounded while) until no reader holds the container's log.</summary>
    public async Task WaitForLogReadersAsync(ContainerId id, CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < LeasePolls; i++)
        {
            lock (_logLeases)
            {
                if (!_logLeases.ContainsKey(id))
                {
                    return;
                }
            }

            await Task.Delay(LeasePollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Before a run: a log already past the size bound starts over, as conmon's own rotation does at
    /// <c>--log-size-max</c> (conmon counts only what its run wrote, so runs would otherwise add up).
    /// An empty file is renamed over the log, so that followers see a new file.
    /// </summary>
    public void BoundLog(ContainerId id)
    {
        string log = directories.LogOf(id);
        if (runtime.LogSizeMax is long max && File.Exists(log) && new FileInfo(log).Length >= max)
        {
            File.WriteAllBytes(log + ".new", []);
            File.Move(log + ".new", log, overwrite: true);
        }
    }

    /// <summary>How the container's stdin is kept: none, until the first client ends, or open.</summary>
    public static StdinMode StdinModeOf(ContainerCreateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec switch
        {
            { OpenStdin: false } => StdinMode.None,
            { StdinOnce: true } => StdinMode.UntilFirstClientEnds,
            _ => StdinMode.KeptOpen,
        };
    }

    private void ReleaseLogs(ContainerId id)
    {
        lock (_logLeases)
        {
            if (--_logLeases[id] == 0)
            {
                _logLeases.Remove(id);
            }
        }
    }

    private sealed class LogLease(ContainerStreams owner, ContainerId id) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.ReleaseLogs(id);
            }
        }
    }
}
