using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Interop;

internal static partial class Libc
{
    // fcntl.h (x86_64 and aarch64 alike).
    internal const int O_WRONLY = 0x1;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_DIRECTORY = 0x10000;
    internal const int O_CLOEXEC = 0x80000;
    internal const int O_PATH = 0x200000;

    [LibraryImport(LibraryName, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial SafeFileHandle Open(string path, int flags, uint mode);
}
