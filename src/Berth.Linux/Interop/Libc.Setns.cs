using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    internal const int CLONE_NEWNET = 0x40000000;

    [LibraryImport(LibraryName, EntryPoint = "setns", SetLastError = true)]
    internal static partial int Setns(SafeHandle fd, int nstype);
}
