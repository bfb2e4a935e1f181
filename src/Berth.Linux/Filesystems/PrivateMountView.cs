using System.Runtime.ExceptionServices;
using Berth.Linux.Interop;

namespace Berth.Linux.Filesystems;

/// <summary>
/// A container's filesystem as its processes see it (root filesystem, volumes and binds), built in a mount namespace
/// of its own so that nothing is mounted on the host: a dedicated thread unshares, makes <c>/</c> a slave (nothing
/// propagates back), mounts the root on <c>mountPoint</c> and binds every <see cref="MountViewBind"/> onto its
/// destination (resolved inside the root, so a symlink in the image cannot aim a bind at the host), then opens the root
/// and the namespace and ends. The descriptor to the namespace keeps its mounts alive; <see cref="Dispose"/> closes it
/// and the kernel unmounts everything. A crash of berthd leaves nothing mounted. <see cref="Root"/> is usable from
/// any thread: lookups below it cross the view's mounts whatever namespace the caller is in (moby's
/// <c>openContainerFS</c> does the same with a chroot instead of a descriptor).
/// </summary>
public sealed class PrivateMountView : IDisposable
{
    private readonly FileDescriptorHandle _namespace;

    private PrivateMountView(DirectoryHandle root, FileDescriptorHandle mountNamespace)
    {
        Root = root;
        _namespace = mountNamespace;
    }

    /// <summary>The view's <c>/</c>.</summary>
    public DirectoryHandle Root { get; }

    /// <summary>
    /// Builds the view on the empty directory <paramref name="mountPoint"/>: a bind of <paramref name="existingRoot"/>
    /// when it is given (a root filesystem mounted on the host already), else an overlay mounted with
    /// <paramref name="overlayOptions"/>; then the binds, parents before children.
    /// </summary>
    public static PrivateMountView Create(string mountPoint, string? existingRoot, string? overlayOptions, IReadOnlyList<MountViewBind> binds)
    {
        ArgumentException.ThrowIfNullOrEmpty(mountPoint);
        ArgumentNullException.ThrowIfNull(binds);
        if (existingRoot is null == overlayOptions is null)
        {
            throw new ArgumentException("give either an existing root or overlay options", nameof(existingRoot));
        }

        PrivateMountView? view = null;
        ExceptionDispatchInfo? failure = null;

        // The thread never returns to a pool: its namespace ends with it (the descriptor opened last keeps it).
        var thread = new Thread(() =>
        {
            try
            {
                view = Build(mountPoint, existingRoot, overlayOptions, binds);
            }
            catch (Exception e) when (e is KernelException or IOException or UnauthorizedAccessException)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "berth-mount-view",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return view!;
    }

    public void Dispose()
    {
        Root.Dispose();
        _namespace.Dispose();
    }

    private static PrivateMountView Build(string mountPoint, string? existingRoot, string? overlayOptions, IReadOnlyList<MountViewBind> binds)
    {
        Check(Libc.Unshare(Libc.CLONE_NEWNS), "unshare the mount namespace");
        Check(Libc.Mount("none", "/", null, Libc.MS_REC | Libc.MS_SLAVE, 0), "make / a slave mount in the view's namespace");
        Check(existingRoot is not null
            ? Libc.Mount(existingRoot, mountPoint, null, Libc.MS_BIND, 0)
            : Libc.Mount("overlay", mountPoint, "overlay", 0, overlayOptions), $"mount the container's root filesystem on {mountPoint}");
        var root = DirectoryHandle.Open(mountPoint);
        try
        {
            foreach (var bind in binds.OrderBy(b => b.Destination.TrimEnd('/').Count(c => c == '/')).ThenBy(b => b.Destination, StringComparer.Ordinal))
            {
                Bind(root, bind);
            }

            int ns = Libc.Open("/proc/thread-self/ns/mnt", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            Check(ns >= 0 ? 0 : -1, "open the view's mount namespace");
            return new PrivateMountView(root, new FileDescriptorHandle(ns));
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>The destination is made when missing (a directory, or an empty file for a file source) and bound through its descriptor.</summary>
    private static void Bind(DirectoryHandle root, MountViewBind bind)
    {
        bool directory = Directory.Exists(bind.Source);
        string destination = bind.Destination.Trim('/');
        if (root.StatusInRoot(destination, followFinal: true) is null)
        {
            string parent = Path.GetDirectoryName(destination) ?? "";
            using var parentDirectory = root.MakeDirectoriesInRoot(parent);
            string name = Path.GetFileName(destination);
            if (directory)
            {
                parentDirectory.MakeDirectory(name, DirectoryHandle.DefaultDirectoryMode);
            }
            else
            {
                parentDirectory.CreateFile(name, 0x1A4).Dispose(); // 0644
            }
        }

        int target = Libc.Openat2(root.Fd, destination.Length == 0 ? "." : destination, Libc.O_PATH | Libc.O_CLOEXEC, Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS);
        Check(target >= 0 ? 0 : -1, $"open the mount point {bind.Destination}");
        using var targetHandle = new FileDescriptorHandle(target);
        string procTarget = "/proc/self/fd/" + target.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Check(Libc.Mount(bind.Source, procTarget, null, Libc.MS_BIND | Libc.MS_REC, 0), $"bind {bind.Source} on {bind.Destination}");
        if (bind.ReadOnly)
        {
            // A remount takes no /proc/self/fd target; the path the kernel names for it is in this namespace only.
            string real = new FileInfo(procTarget).LinkTarget ?? throw new KernelException(Errno.ENOENT, $"read where {bind.Destination} is mounted");
            Check(Libc.Mount("none", real, null, Libc.MS_REMOUNT | Libc.MS_BIND | Libc.MS_RDONLY, 0), $"make {bind.Destination} read-only");
        }
    }

    private static void Check(int result, string action)
    {
        if (result != 0)
        {
            throw KernelException.FromLastError(action);
        }
    }
}
