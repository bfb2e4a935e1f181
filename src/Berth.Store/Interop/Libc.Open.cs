using System.Runtime.InteropServices;

namespace Berth.Store.Interop;

internal static partial class Libc
{
    internal const int O_RDWR = 2;
    internal const int O_CREAT = 0x40;
    internal const int O_CLOEXEC = 0x80000;

    [LibraryImport(LibraryName, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial LockFileHandle Open(string path, int flags, uint mode);
}
