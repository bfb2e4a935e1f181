using System.Runtime.InteropServices;

namespace Berth.Store.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
