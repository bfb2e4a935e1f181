using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "unshare", SetLastError = true)]
    internal static partial int Unshare(int flags);
}
