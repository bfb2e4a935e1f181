using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    internal const int MSG_PEEK = 0x2;
    internal const int MSG_TRUNC = 0x20;
    internal const int MSG_DONTWAIT = 0x40;

    [LibraryImport(LibraryName, EntryPoint = "recv", SetLastError = true)]
    internal static unsafe partial nint Recv(SafeHandle fd, byte* buffer, nuint length, int flags);
}
