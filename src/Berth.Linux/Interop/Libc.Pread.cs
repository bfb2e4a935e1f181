using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "pread", SetLastError = true)]
    internal static unsafe partial nint Pread(SafeHandle fd, byte* buffer, nuint count, long offset);
}
