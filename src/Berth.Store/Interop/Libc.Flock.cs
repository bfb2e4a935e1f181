using System.Runtime.InteropServices;

namespace Berth.Store.Interop;

internal static partial class Libc
{
    // sys/file.h
    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;

    [LibraryImport(LibraryName, EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(SafeHandle fd, int operation);
}
