using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary><c>struct iovec</c> (sys/uio.h): one buffer of a scatter/gather list.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVector
{
    public void* Base;
    public nuint Length;
}
