using System.Collections.Immutable;
using Berth.Linux;
using Berth.Linux.Filesystems;
using Berth.Linux.Interop;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Build;

/// <summary>
/// The working root filesystem of one build step: an image's layers (nothing for <c>FROM scratch</c>) under a fresh
/// upper directory, in a directory of its own under the <see cref="BuildWorkspace"/>. Nothing is mounted between
/// operations: a copy mounts the overlay in a private mount namespace (<see cref="PrivateMountView"/>) that dies with
/// it, a run has the runtime mount it on the bundle's rootfs and unmount it when the container is deleted. The
/// snapshot's directory is flock'ed while this object lives, so a later sweep tells a crashed build's leftovers from a
/// running one. <see cref="Dispose"/> removes the directory (the upper layer with it). One operation at a time.
/// </summary>
public sealed class BuildSnapshot : IDisposable
{
    private const string LockFileName = "lock";

    /// <summary>rw------- for the lock file: only berthd looks at it.</summary>
    private const uint LockFileMode = 0x180;

    private readonly LockFileHandle _lock;
    private bool _disposed;

    private BuildSnapshot(string id, string directory, string? imageId, ImmutableArray<string> layers, LockFileHandle held)
    {
        Id = id;
        Directory = directory;
        ImageId = imageId;
        Layers = layers;
        _lock = held;
    }

    /// <summary>The snapshot's id (its directory's name).</summary>
    public string Id { get; }

    /// <summary>The image whose layers are below the upper directory; null for <c>FROM scratch</c>.</summary>
    public string? ImageId { get; }

    public string Directory { get; }

    /// <summary>The overlay's lower directories, top first (an empty directory of the snapshot's own for scratch).</summary>
    internal ImmutableArray<string> Layers { get; }

    /// <summary>Serialises the operations on the upper directory (an overlay must not be mounted twice over one upper).</summary>
    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The bundle a run uses, with the writable layer kept outside it so that it outlives the container.</summary>
    internal ContainerPaths Paths => PathsOf(Directory);

    internal string UpperDirectory => Paths.Upper;

    internal string LogPath => Path.Combine(Directory, "run.log");

    /// <summary>A run's heredoc scripts, bound read-only into its container (outside the layer, so never committed).</summary>
    internal string ScriptsDirectory => Path.Combine(Directory, "scripts");

    /// <summary>The runtime id of this snapshot's run container; the sweep finds a crashed run's container by it.</summary>
    internal string ContainerId => ContainerIdOf(Id);

    /// <summary>Makes the snapshot's directory under <paramref name="workspace"/> and takes its lock.</summary>
    internal static BuildSnapshot Create(string workspace, string? imageId, IReadOnlyList<string> layersBottomFirst)
    {
        string id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]);
        string directory = Path.Combine(workspace, id);
        System.IO.Directory.CreateDirectory(directory);
        var held = TryLock(directory) ?? throw new InvalidOperationException($"the new build snapshot {directory} is locked by someone else");
        try
        {
            ImmutableArray<string> layers = [.. layersBottomFirst.Reverse()];
            if (layers.IsEmpty)
            {
                string empty = Path.Combine(directory, "scratch");
                System.IO.Directory.CreateDirectory(empty);
                layers = [empty];
            }

            _ = RootFilesystem.Options(PathsOf(directory), layers);
            return new BuildSnapshot(id, directory, imageId, layers, held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>The overlay mounted in a mount namespace of its own; disposing the view unmounts it.</summary>
    internal PrivateMountView OpenView()
    {
        string view = Path.Combine(Directory, "view");
        System.IO.Directory.CreateDirectory(view);
        return PrivateMountView.Create(view, null, RootFilesystem.Options(Paths, Layers), []);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            Remove(Directory);
        }
        finally
        {
            _lock.Dispose();
            Gate.Dispose();
        }
    }

    internal static string ContainerIdOf(string snapshotId) => "berth-build-" + snapshotId;

    /// <summary>The lock of a snapshot directory; null when a live snapshot holds it.</summary>
    internal static LockFileHandle? TryLock(string directory)
    {
        string path = Path.Combine(directory, LockFileName);
        var handle = Libc.OpenLockFile(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, LockFileMode);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw KernelException.FromLastError($"open the build snapshot's lock file {path}");
        }

        while (Libc.Flock(handle, Libc.LOCK_EX | Libc.LOCK_NB) != 0)
        {
            Errno errno = Libc.LastErrno();
            if (errno == Errno.EINTR)
            {
                continue;
            }

            handle.Dispose();
            return errno == Errno.EAGAIN ? null : throw new KernelException(errno, $"lock the build snapshot {directory}");
        }

        return handle;
    }

    /// <summary>
    /// Removes a snapshot directory whose run container is gone: the rootfs unmounted first should a crash have left it
    /// mounted (removing through a mounted overlay would write whiteouts, not free anything), then the tree by descriptor.
    /// </summary>
    internal static void Remove(string directory)
    {
        RootFilesystem.Unmount(PathsOf(directory));
        string parent = Path.GetDirectoryName(directory) ?? throw new ArgumentException($"{directory} has no parent", nameof(directory));
        using var handle = DirectoryHandle.Open(parent);
        handle.RemoveTree(Path.GetFileName(directory));
    }

    private static ContainerPaths PathsOf(string directory) =>
        new(Path.Combine(directory, "run")) { LayerDirectory = Path.Combine(directory, "layer") };
}
