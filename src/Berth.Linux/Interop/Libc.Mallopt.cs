using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>mallopt(3)'s M_ARENA_MAX (glibc malloc.h): the most malloc arenas glibc makes for the process.</summary>
    internal const int M_ARENA_MAX = -8;

    /// <summary>Returns 1 on success, 0 on an unknown parameter or value (mallopt sets no errno).</summary>
    [LibraryImport(LibraryName, EntryPoint = "mallopt")]
    internal static partial int Mallopt(int parameter, int value);
}
