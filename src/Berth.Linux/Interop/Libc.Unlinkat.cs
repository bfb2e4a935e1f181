using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>unlinkat flag: remove a directory (fcntl.h).</summary>
    internal const int AT_REMOVEDIR = 0x200;

    [LibraryImport(LibraryName, EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Unlinkat(int directoryFd, string path, int flags);
}
