using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux;

/// <summary>
/// A failure reported by the kernel: the errno, the kernel's own explanation where it gave one
/// (netlink extended ack), and a message that names the object it concerns.
/// </summary>
public class KernelException : BerthException
{
    public KernelException(Errno errno, string message, string? kernelMessage = null, ErrorKind? kind = null)
        : base(kind ?? KindOf(errno), Compose(errno, message, kernelMessage))
    {
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    public Errno Errno { get; }

    /// <summary>The kernel's extended-ack text, when it sent one.</summary>
    public string? KernelMessage { get; }

    /// <summary>Throws for the calling thread's last errno.</summary>
    internal static KernelException FromLastError(string what) => new(Libc.LastErrno(), what);

    public static ErrorKind KindOf(Errno errno) => errno switch
    {
        Errno.ENOENT or Errno.ENODEV or Errno.ESRCH or Errno.ENXIO => ErrorKind.NotFound,
        Errno.EEXIST or Errno.EBUSY or Errno.EADDRINUSE or Errno.ENOTEMPTY or Errno.EALREADY => ErrorKind.Conflict,
        Errno.EPERM or Errno.EACCES or Errno.EROFS => ErrorKind.Forbidden,
        Errno.EOPNOTSUPP or Errno.EPROTONOSUPPORT or Errno.EAFNOSUPPORT or Errno.ENOSYS => ErrorKind.NotSupported,
        Errno.EINVAL or Errno.ERANGE or Errno.E2BIG or Errno.ENAMETOOLONG or Errno.EMSGSIZE
            or Errno.ENETUNREACH or Errno.EADDRNOTAVAIL or Errno.ENOTCONN => ErrorKind.InvalidArgument,
        Errno.EAGAIN or Errno.ENOBUFS or Errno.ENOMEM or Errno.ETIMEDOUT or Errno.ENETDOWN => ErrorKind.Unavailable,
        _ => ErrorKind.Internal,
    };

    private static string Compose(Errno errno, string message, string? kernelMessage) =>
        string.IsNullOrEmpty(kernelMessage)
            ? $"{message} ({errno}: {Libc.Describe(errno)})"
            : $"{message} ({errno}: {Libc.Describe(errno)}; kernel says: {kernelMessage})";
}
