using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>*at flag: act on the directory descriptor itself when the path is empty (fcntl.h).</summary>
    internal const int AT_EMPTY_PATH = 0x1000;

    [LibraryImport(LibraryName, EntryPoint = "fchownat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Fchownat(int directoryFd, string path, int owner, int group, int flags);
}
