using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "pwrite", SetLastError = true)]
    internal static unsafe partial nint Pwrite(SafeHandle fd, byte* buffer, nuint count, long offset);
}
