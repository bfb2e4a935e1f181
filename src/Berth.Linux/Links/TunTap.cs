using System.Text;
using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Links;

/// <summary>
/// Persistent tap devices, created in the calling thread's network namespace (run it on a
/// <see cref="Namespaces.NamespaceRunner"/> to create one inside another namespace). Deleting is an
/// ordinary link delete over netlink.
/// </summary>
public static class TunTap
{
    public const string ClonePath = "/dev/net/tun";

    // linux/if_tun.h
    private const nuint TunSetIff = 0x400454ca; // _IOW('T', 202, int)
    private const nuint TunSetPersist = 0x400454cb; // _IOW('T', 203, int)
    internal const short IffTap = 0x0002;
    internal const short IffNoPi = 0x1000;

    /// <summary>Every frame read or written starts with a <c>struct virtio_net_hdr</c>.</summary>
    internal const short IffVnetHdr = 0x4000;

    /// <summary>The device has several queues, one descriptor each; the kernel spreads flows over them.</summary>
    internal const short IffMultiQueue = 0x0100;

    // struct ifreq (linux/if.h): char ifr_name[IFNAMSIZ]; union { short ifr_flags; ... } — 40 bytes on 64-bit.
    private const int IfReqSize = 40;
    private const int IfNameSize = 16;

    /// <summary>
    /// Creates a persistent tap device (IFF_TAP | IFF_NO_PI) named <paramref name="name"/>. Conflict when a
    /// link of that name already exists in the namespace.
    /// </summary>
    public static unsafe void CreatePersistentTap(string name)
    {
        using FileDescriptorHandle tun = Attach(name, IffTap | IffNoPi, openFlags: 0);

        // The int argument travels in the pointer slot itself: ioctl(fd, TUNSETPERSIST, 1).
        if (Libc.Ioctl(tun, TunSetPersist, (void*)1) < 0)
        {
            // Closing the fd of a non-persistent tap removes it: nothing is left behind.
            throw KernelException.FromLastError($"making tap \"{name}\" persistent (TUNSETPERSIST)");
        }
    }

    /// <summary>
    /// Opens the clone device and creates a new tun/tap link <paramref name="name"/> with <paramref name="flags"/>
    /// (TUNSETIFF) in the calling thread's namespace. The link lives while the returned descriptor is open,
    /// unless made persistent. Conflict when a link of that name already exists, unless
    /// <paramref name="another"/>: then the descriptor is one more queue of the multi-queue device just made.
    /// </summary>
    internal static unsafe FileDescriptorHandle Attach(string name, short flags, int openFlags, bool another = false)
    {
        LinkName.Validate(name);

        // TUNSETIFF on the name of an existing, detached persistent tap would silently attach to it
        // rather than fail, so "create" checks first; the ioctl errors below cover the race.
        if (!another && Libc.IfNameToIndex(name) != 0)
        {
            throw new BerthException(ErrorKind.Conflict, $"link \"{name}\" already exists in this network namespace; choose another name or delete it first");
        }

        int fd = Libc.Open(ClonePath, Libc.O_RDWR | Libc.O_CLOEXEC | openFlags, 0);
        if (fd < 0)
        {
            Errno errno = Libc.LastErrno();
            throw errno == Errno.ENOENT
                ? new KernelException(errno, $"creating tap \"{name}\": {ClonePath} is missing; load the tun module or create the device node", kind: ErrorKind.NotSupported)
                : new KernelException(errno, $"creating tap \"{name}\": opening {ClonePath}");
        }

        var tun = new FileDescriptorHandle(fd);
        try
        {
            byte* request = stackalloc byte[IfReqSize];
            new Span<byte>(request, IfReqSize).Clear();
            Encoding.UTF8.GetBytes(name, new Span<byte>(request, IfNameSize - 1));
            *(short*)(request + IfNameSize) = flags;

            if (Libc.Ioctl(tun, TunSetIff, request) < 0)
            {
                Errno errno = Libc.LastErrno();
                throw errno is Errno.EBUSY or Errno.EEXIST or Errno.EINVAL
                    ? new KernelException(errno, $"creating tap \"{name}\": the name is taken by another link; choose another name", kind: ErrorKind.Conflict)
                    : new KernelException(errno, $"creating tap \"{name}\" (TUNSETIFF)");
            }

            return tun;
        }
        catch
        {
            tun.Dispose();
            throw;
        }
    }
}
