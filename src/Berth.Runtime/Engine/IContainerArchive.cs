using Berth.Runtime.Files;

namespace Berth.Runtime.Engine;

/// <summary>A tar of a container's files, opened (the container held) and written once.</summary>
public interface IContainerArchive : IAsyncDisposable
{
    /// <summary>What was archived (<c>docker cp</c>'s stat header); null for an export.</summary>
    PathStat? Stat { get; }

    Task WriteToAsync(Stream destination, CancellationToken cancellationToken = default);
}
