using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "unlockpt", SetLastError = true)]
    internal static partial int Unlockpt(SafeHandle fd);
}
