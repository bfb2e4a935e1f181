using System.Text;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Filesystems;

/// <summary>
/// A directory held by descriptor. Every name given to its methods is one path component looked up in it without
/// following a final symlink, and the <c>…InRoot</c> lookups resolve a whole path as if this directory were <c>/</c>
/// after chroot(2) (<c>openat2</c>'s RESOLVE_IN_ROOT): <c>..</c> and absolute symlinks never leave it, even while a
/// container renames directories under the walk. That is what makes it safe to read and write a container's files
/// from the host. Lookups that find nothing return null; other failures throw <see cref="KernelException"/>.
/// </summary>
public sealed partial class DirectoryHandle : FileDescriptorHandle
{
    private const int ReadDirectoryFlags = Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC;

    /// <summary>PATH_MAX (linux/limits.h): the longest symlink target readlink can return.</summary>
    private const int MaxLinkTarget = 4096;

    private DirectoryHandle(int fd)
        : base(fd)
    {
    }

    /// <summary>Opens a host directory (symlinks in <paramref name="path"/> followed: the caller trusts it).</summary>
    public static DirectoryHandle Open(string path)
    {
        int fd = Libc.Open(path, ReadDirectoryFlags, 0);
        return fd >= 0 ? new DirectoryHandle(fd) : throw KernelException.FromLastError($"open the directory {path}");
    }

    /// <summary>This directory's own status.</summary>
    public NodeStatus Status() => StatusAt(Fd, "", Libc.AT_EMPTY_PATH) ?? throw new KernelException(Errno.ENOENT, "stat an open directory");

    /// <summary>The child <paramref name="name"/> itself (a symlink is not followed); null when there is none.</summary>
    public NodeStatus? StatusOf(string name) => StatusAt(Fd, name, Libc.AT_SYMLINK_NOFOLLOW);

    /// <summary>The child directory <paramref name="name"/>; null when it does not exist or is not a directory (a symlink never is).</summary>
    public DirectoryHandle? OpenDirectory(string name)
    {
        int fd = Libc.Openat(Fd, name, ReadDirectoryFlags | Libc.O_NOFOLLOW, 0);
        if (fd >= 0)
        {
            return new DirectoryHandle(fd);
        }

        return Libc.LastErrno() is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP ? null : throw KernelException.FromLastError($"open the directory {name}");
    }

    /// <summary>
    /// The child regular file <paramref name="name"/> for reading; null when it is gone or is no longer a regular file
    /// (O_NONBLOCK: a FIFO swapped in by a container cannot block the open).
    /// </summary>
    public SafeFileHandle? OpenRegularFile(string name)
    {
        int fd = Libc.Openat(Fd, name, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        return RegularOrNull(fd, name);
    }

    /// <summary>
    /// The regular file at <paramref name="path"/> for reading, resolved with this directory as the root (every symlink,
    /// the last one too, followed within the root); null when nothing is there or it is not a regular file.
    /// </summary>
    public SafeFileHandle? OpenRegularFileInRoot(string path)
    {
        int fd = Libc.Openat2(Fd, Relative(path), Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS);
        return RegularOrNull(fd, path);
    }

    private static SafeFileHandle? RegularOrNull(int fd, string name)
    {
        if (fd < 0)
        {
            return Libc.LastErrno() is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP or Errno.ENXIO ? null : throw KernelException.FromLastError($"open the file {name}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (StatusAt(fd, "", Libc.AT_EMPTY_PATH) is not { IsRegular: true })
        {
            handle.Dispose();
            return null;
        }

        return handle;
    }

    /// <summary>The target of the child symlink <paramref name="name"/>.</summary>
    public string ReadLink(string name) => ReadLinkAt(Fd, name);

    /// <summary>The names in this directory, <c>.</c> and <c>..</c> left out, in ordinal order.</summary>
    public IReadOnlyList<string> Names()
    {
        // The /proc/self/fd link opens exactly this directory again, whatever its path is now.
        var names = new List<string>();
        foreach (string entry in System.IO.Directory.EnumerateFileSystemEntries(ProcPath))
        {
            names.Add(Path.GetFileName(entry));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>An extended attribute of the child <paramref name="name"/> (not following a symlink); null when it has none.</summary>
    public byte[]? Attribute(string name, string attribute)
    {
        Span<byte> buffer = stackalloc byte[256];
        nint length = Libc.Lgetxattr(ProcPath + "/" + name, attribute, buffer, (nuint)buffer.Length);
        if (length < 0)
        {
            return Libc.LastErrno() is Errno.ENODATA or Errno.EOPNOTSUPP or Errno.ENOENT ? null : throw KernelException.FromLastError($"read the attribute {attribute} of {name}");
        }

        return buffer[..(int)length].ToArray();
    }

    /// <summary>
    /// The directory at <paramref name="path"/>, resolved with this directory as the root (<paramref name="followFinal"/>:
    /// a final symlink is followed, within the root too); null when it does not exist or is not a directory.
    /// </summary>
    public DirectoryHandle? OpenDirectoryInRoot(string path, bool followFinal = true)
    {
        int fd = Libc.Openat2(Fd, Relative(path), ReadDirectoryFlags | (followFinal ? 0 : Libc.O_NOFOLLOW), Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS);
        if (fd >= 0)
        {
            return new DirectoryHandle(fd);
        }

        return Libc.LastErrno() is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP ? null : throw KernelException.FromLastError($"open the directory {path}");
    }

    /// <summary>The status of <paramref name="path"/> resolved with this directory as the root; null when nothing is there.</summary>
    public NodeStatus? StatusInRoot(string path, bool followFinal)
    {
        using var node = OpenPathInRoot(path, followFinal);
        return node is null ? null : StatusAt(node.Fd, "", Libc.AT_EMPTY_PATH);
    }

    /// <summary>The target of the symlink at <paramref name="path"/> (resolved with this directory as the root).</summary>
    public string? ReadLinkInRoot(string path)
    {
        using var node = OpenPathInRoot(path, followFinal: false);
        return node is null ? null : ReadLinkAt(node.Fd, "");
    }

    /// <summary>
    /// The status of <paramref name="path"/> below this directory when reaching it crosses no symlink at all
    /// (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS): for image layers, whose symlinks mean nothing on the host.
    /// </summary>
    public NodeStatus? StatusBeneath(string path)
    {
        int fd = Libc.Openat2(Fd, Relative(path), Libc.O_PATH | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_SYMLINKS | Libc.RESOLVE_NO_MAGICLINKS);
        if (fd < 0)
        {
            return Libc.LastErrno() is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP or Errno.EXDEV ? null : throw KernelException.FromLastError($"look up {path}");
        }

        using var node = new FileDescriptorHandle(fd);
        return StatusAt(fd, "", Libc.AT_EMPTY_PATH);
    }

    /// <summary>The directory below this one as <see cref="StatusBeneath"/> finds it; null when it is not there.</summary>
    public DirectoryHandle? OpenDirectoryBeneath(string path)
    {
        int fd = Libc.Openat2(Fd, Relative(path), ReadDirectoryFlags | Libc.O_NOFOLLOW, Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_SYMLINKS | Libc.RESOLVE_NO_MAGICLINKS);
        if (fd >= 0)
        {
            return new DirectoryHandle(fd);
        }

        return Libc.LastErrno() is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP or Errno.EXDEV ? null : throw KernelException.FromLastError($"open the directory {path}");
    }

    /// <summary><c>/proc/self/fd/N</c>: this directory by its descriptor, for APIs that only take paths.</summary>
    private string ProcPath => "/proc/self/fd/" + Fd.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private FileDescriptorHandle? OpenPathInRoot(string path, bool followFinal)
    {
        int fd = Libc.Openat2(Fd, Relative(path), Libc.O_PATH | Libc.O_CLOEXEC | (followFinal ? 0 : Libc.O_NOFOLLOW), Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS);
        if (fd >= 0)
        {
            return new FileDescriptorHandle(fd);
        }

        return Libc.LastErrno() is Errno.ENOENT or Errno.ENOTDIR ? null : throw KernelException.FromLastError($"look up {path}");
    }

    /// <summary>An empty path means the directory itself (openat2 refuses an empty one without AT_EMPTY_PATH).</summary>
    private static string Relative(string path)
    {
        string trimmed = path.TrimStart('/');
        return trimmed.Length == 0 ? "." : trimmed;
    }

    private static unsafe NodeStatus? StatusAt(int fd, string name, int flags)
    {
        byte* buffer = stackalloc byte[Libc.StatxBufferSize];
        if (Libc.Statx(fd, name, flags, Libc.STATX_BASIC_STATS, buffer) != 0)
        {
            return Libc.LastErrno() is Errno.ENOENT or Errno.ENOTDIR ? null : throw KernelException.FromLastError($"stat {name}");
        }

        return NodeStatus.Parse(new ReadOnlySpan<byte>(buffer, Libc.StatxBufferSize));
    }

    private static string ReadLinkAt(int fd, string name)
    {
        Span<byte> buffer = stackalloc byte[MaxLinkTarget];
        nint length = Libc.Readlinkat(fd, name, buffer, (nuint)buffer.Length);
        return length >= 0 ? Encoding.UTF8.GetString(buffer[..(int)length]) : throw KernelException.FromLastError($"read the symlink {name}");
    }
}
