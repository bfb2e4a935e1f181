using System.Runtime.InteropServices;

namespace Berth.Linux.Links;

/// <summary>struct ifinfomsg (linux/rtnetlink.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfInfoMessage
{
    internal const int Size = 16;

    public byte Family;
    public byte Pad;
    public ushort Type;
    public int Index;
    public uint Flags;
    public uint Change;
}
