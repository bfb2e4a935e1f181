using Berth.Linux.Interop;

namespace Berth.Linux.Netlink;

/// <summary>The file descriptor of a netlink socket.</summary>
public sealed class NetlinkSocketHandle : FileDescriptorHandle
{
    public NetlinkSocketHandle()
    {
    }

    internal NetlinkSocketHandle(int fd)
        : base(fd)
    {
    }
}
