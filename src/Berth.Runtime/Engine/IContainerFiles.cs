using Berth.Runtime.Files;

namespace Berth.Runtime.Engine;

/// <summary>
/// A container's files as <c>docker cp</c>, <c>diff</c>, <c>export</c> and <c>commit</c> reach them, running or not,
/// with Docker's errors. The container's lock is held while its files are read or written, as moby holds it.
/// </summary>
public interface IContainerFiles
{
    /// <summary><c>HEAD /containers/{id}/archive</c>: what is at <paramref name="path"/> (NotFound: "Could not find the file …").</summary>
    Task<PathStat> StatAsync(string idOrName, string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /containers/{id}/archive</c>: the archive of <paramref name="path"/>, ready to be written. Errors come here,
    /// before a byte is sent; dispose the result to release the container.
    /// </summary>
    Task<IContainerArchive> ArchiveAsync(string idOrName, string path, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /containers/{id}/archive</c>: unpacks <paramref name="tar"/> into the directory at <paramref name="path"/>.</summary>
    Task ExtractAsync(string idOrName, string path, Stream tar, bool noOverwriteDirNonDir, bool copyUidGid, CancellationToken cancellationToken = default);

    /// <summary><c>GET /containers/{id}/changes</c>: what changed against the image, parents first.</summary>
    Task<IReadOnlyList<FilesystemChange>> ChangesAsync(string idOrName, CancellationToken cancellationToken = default);

    /// <summary><c>GET /containers/{id}/export</c>: the container's root filesystem without its mounts.</summary>
    Task<IContainerArchive> ExportAsync(string idOrName, CancellationToken cancellationToken = default);

    /// <summary><c>POST /commit</c>: a new image from the container's changes; returns its id.</summary>
    Task<string> CommitAsync(string idOrName, ContainerCommitSpec commit, CancellationToken cancellationToken = default);
}
