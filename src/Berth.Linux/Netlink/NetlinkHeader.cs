using System.Runtime.InteropServices;

namespace Berth.Linux.Netlink;

/// <summary>struct nlmsghdr.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NetlinkHeader
{
    internal const int Size = 16;

    public uint Length;
    public ushort Type;
    public ushort Flags;
    public uint Sequence;
    public uint PortId;
}
