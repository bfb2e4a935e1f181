using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Namespaces;

/// <summary>
/// An open descriptor of a network namespace file: <c>/proc/thread-self/ns/net</c>, or a bind-mounted
/// file such as <c>/run/berth/netns/NAME</c>. While it is open it keeps the namespace alive, even after
/// the file was unmounted and deleted, so close it before expecting the kernel to tear a namespace down.
/// </summary>
public sealed class NetnsHandle : FileDescriptorHandle
{
    /// <summary>The calling thread's own netns. Never <c>/proc/self</c>: that is the main thread's.</summary>
    public const string CurrentThreadPath = "/proc/thread-self/ns/net";

    /// <summary>NS_GET_NSTYPE = _IO(0xb7, 0x3) (linux/nsfs.h): returns the CLONE_NEW* type of an nsfs file.</summary>
    private const nuint NsGetNsType = 0xb703;

    public NetnsHandle()
    {
        Path = "(none)";
    }

    private NetnsHandle(int fd, string path)
        : base(fd)
    {
        Path = path;
    }

    /// <summary>The file this handle was opened from; used in messages.</summary>
    public string Path { get; private set; }

    /// <summary>The inode of the namespace: equal for two handles exactly when they refer to the same netns.</summary>
    public unsafe ulong Inode
    {
        get
        {
            byte* stat = stackalloc byte[Libc.StatBufferSize];
            if (Libc.Fstat(this, stat) != 0)
            {
                throw KernelException.FromLastError($"reading the inode of network namespace {Path}");
            }

            return *(ulong*)(stat + Libc.StatInodeOffset);
        }
    }

    /// <summary>Opens a network namespace file and checks that it really is one.</summary>
    public static NetnsHandle Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            Errno errno = Libc.LastErrno();
            throw errno == Errno.ENOENT
                ? new KernelException(errno, $"network namespace file {path} does not exist; check the name or create it first")
                : new KernelException(errno, $"opening network namespace file {path}");
        }

        var handle = new NetnsHandle(fd, path);
        try
        {
            handle.EnsureNetworkNamespace();
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return handle;
    }

    /// <summary>Opens the calling thread's netns (via <see cref="CurrentThreadPath"/>).</summary>
    public static NetnsHandle OpenCurrentThread() => Open(CurrentThreadPath);

    /// <summary>Adopts a descriptor the caller just opened on a namespace file.</summary>
    internal static NetnsHandle Adopt(int fd, string path) => new(fd, path);

    internal void Rename(string path) => Path = path;

    public override string ToString() => $"netns {Path} (fd {Fd})";

    private unsafe void EnsureNetworkNamespace()
    {
        int type = Libc.Ioctl(this, NsGetNsType, null);
        if (type == Libc.CLONE_NEWNET)
        {
            return;
        }

        if (type >= 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"{Path} is a namespace file but not a network namespace; pass a netns file such as /run/netns/NAME");
        }

        Errno errno = Libc.LastErrno();
        throw new KernelException(
            errno,
            $"{Path} is not a network namespace file (not an nsfs file; an empty placeholder whose bind mount is missing looks like this); recreate the namespace",
            kind: ErrorKind.InvalidArgument);
    }
}
