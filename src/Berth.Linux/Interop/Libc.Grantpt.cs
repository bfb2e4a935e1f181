using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "grantpt", SetLastError = true)]
    internal static partial int Grantpt(SafeHandle fd);
}
