using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>A container's standard streams: stdin through conmon, the terminal size, and the log file.</summary>
public interface IContainerStreams
{
    Task<IContainerStdin> ConnectStdinAsync(string idOrName, CancellationToken cancellationToken = default);

    Task ResizeAsync(string idOrName, uint height, uint width, CancellationToken cancellationToken = default);

    string LogPathOf(string idOrName);

    /// <summary>Keeps the log file of a container from being removed while a reader follows it.</summary>
    IDisposable HoldLogs(Berth.Core.Containers.ContainerId id);
}
