using System.Runtime.InteropServices;

namespace Berth.Linux.Addresses;

/// <summary>struct ifaddrmsg (linux/if_addr.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfAddrMessage
{
    internal const int Size = 8;

    public byte Family;
    public byte PrefixLength;
    public byte Flags;
    public byte Scope;
    public uint Index;
}
