using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>A new mount namespace (sched.h); unshared by one thread, it is that thread's alone.</summary>
    internal const int CLONE_NEWNS = 0x20000;

    [LibraryImport(LibraryName, EntryPoint = "unshare", SetLastError = true)]
    internal static partial int Unshare(int flags);
}
