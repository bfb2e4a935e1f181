using System.Runtime.InteropServices;

namespace Berth.Linux.Routes;

/// <summary>struct rtmsg (linux/rtnetlink.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RtMessage
{
    internal const int Size = 12;

    public byte Family;
    public byte DestinationLength;
    public byte SourceLength;
    public byte Tos;
    public byte Table;
    public byte Protocol;
    public byte Scope;
    public byte Type;
    public uint Flags;
}
