using Berth.Linux.Filesystems;

namespace Berth.Runtime.Build;

/// <summary>
/// Where a <c>COPY</c>/<c>ADD</c> takes its files from: the build context (a host directory Berth unpacked the client's
/// context into), or — for <c>COPY --from</c> — another stage's or image's <see cref="BuildSnapshot"/>. Source paths are
/// resolved with the source as <c>/</c>: <c>..</c> and symlinks never leave it.
/// </summary>
public sealed record BuildCopySource
{
    private BuildCopySource(string? directory, BuildSnapshot? snapshot)
    {
        ContextDirectory = directory;
        Snapshot = snapshot;
    }

    /// <summary>The build context's directory; null for a snapshot source.</summary>
    public string? ContextDirectory { get; }

    /// <summary>The stage or image copied from; null for the context.</summary>
    public BuildSnapshot? Snapshot { get; }

    /// <summary>A snapshot keeps its files' owners (moby: <c>COPY --from</c> preserves ownership); the context's become root's.</summary>
    internal bool PreservesOwners => Snapshot is not null;

    public static BuildCopySource Context(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return new BuildCopySource(Path.GetFullPath(directory), null);
    }

    public static BuildCopySource From(BuildSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new BuildCopySource(null, snapshot);
    }

    /// <summary>The source's root directory; for a snapshot, its overlay mounted privately until the owner is disposed.</summary>
    internal (DirectoryHandle Root, IDisposable Owner) Open()
    {
        if (Snapshot is null)
        {
            var root = DirectoryHandle.Open(ContextDirectory!);
            return (root, root);
        }

        var view = Snapshot.OpenView();
        return (view.Root, view);
    }
}
