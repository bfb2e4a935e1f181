using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Netlink;

/// <summary>
/// The kernel rejected a netlink request. Operations catch it (<c>when (e.Errno == Errno.EEXIST)</c>)
/// and rethrow with a message naming the object; uncaught it still says which request failed.
/// </summary>
public sealed class NetlinkException : KernelException
{
    public NetlinkException(Errno errno, NetlinkMessageType request, string? kernelMessage, string? what = null, ErrorKind? kind = null)
        : base(errno, what ?? $"netlink request {request} failed", kernelMessage, kind)
    {
        Request = request;
    }

    public NetlinkMessageType Request { get; }

    /// <summary>The sequence number of the failed message (to tell which one of a pipeline failed).</summary>
    public uint Sequence { get; init; }
}
