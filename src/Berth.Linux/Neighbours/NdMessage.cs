using System.Runtime.InteropServices;

namespace Berth.Linux.Neighbours;

/// <summary>struct ndmsg (linux/neighbour.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NdMessage
{
    internal const int Size = 12;

    public byte Family;
    public byte Pad1;
    public ushort Pad2;
    public int Index;
    public ushort State;
    public byte Flags;
    public byte Type;
}
