using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "isatty", SetLastError = true)]
    internal static partial int Isatty(int fd);
}
