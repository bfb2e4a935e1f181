using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>A container's standard streams: stdin through conmon, the terminal size, and the log file.</summary>
public interface IContainerStreams
{
    Task<IContainerStdin> ConnectStdinAsync(string idOrName, CancellationToken cancellationToken = default);

    Task ResizeAsync(string idOrName, uint height, uint width, CancellationToken cancellationToken = default);

    /// <summary>conmon's k8s-file log (what attach follows).</summary>
    string LogPathOf(string idOrName);

    /// <summary>The daemon's log driver and options (<c>docker info</c>'s <c>LoggingDriver</c>).</summary>
    Logging.LogConfig DefaultLogConfig { get; }

    /// <summary>The log config a new container gets: the daemon's default filled in, checked with Docker's messages.</summary>
    Logging.LogConfig ResolveLogConfig(Logging.LogConfig? requested);

    /// <summary>The container's log config (records made before log drivers: json-file).</summary>
    Logging.LogConfig LogConfigOf(ContainerRecord record);

    /// <summary>The driver's current log file (inspect's <c>LogPath</c>): json-file's; empty for local and none, as Docker's.</summary>
    string LogFileOf(ContainerRecord record);

    /// <summary>
    /// The container's log as its driver keeps it, rotated files first, up to date with what conmon wrote; then followed.
    /// NotSupported with Docker's message for a driver that keeps nothing.
    /// </summary>
    ContainerLogFollower OpenLog(ContainerRecord record);

    /// <summary>Keeps the log file of a container from being removed while a reader follows it.</summary>
    IDisposable HoldLogs(Berth.Core.Containers.ContainerId id);
}
