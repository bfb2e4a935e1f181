using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "send", SetLastError = true)]
    internal static unsafe partial nint Send(SafeHandle fd, byte* buffer, nuint length, int flags);
}
