using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "bind", SetLastError = true)]
    internal static unsafe partial int Bind(SafeHandle fd, void* address, uint addressLength);
}
