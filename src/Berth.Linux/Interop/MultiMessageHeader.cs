using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>
/// <c>struct mmsghdr</c> (sys/socket.h): a <c>struct msghdr</c> (56 bytes: msg_flags at 48, then padding)
/// and the byte count the kernel fills in (msg_len at 56). The 64-bit layout, which is what Berth runs on.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal unsafe struct MultiMessageHeader
{
    [FieldOffset(0)]
    public void* Name;

    [FieldOffset(8)]
    public uint NameLength;

    [FieldOffset(16)]
    public IoVector* Iov;

    [FieldOffset(24)]
    public nuint IovLength;

    [FieldOffset(32)]
    public void* Control;

    [FieldOffset(40)]
    public nuint ControlLength;

    [FieldOffset(48)]
    public int Flags;

    [FieldOffset(56)]
    public uint Length;
}
