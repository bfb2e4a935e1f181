using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>close_range(2)'s flag: mark the range close-on-exec instead of closing it (Linux 5.11).</summary>
    internal const int CLOSE_RANGE_CLOEXEC = 1 << 2;

    /// <summary><c>int close_range(unsigned int first, unsigned int last, int flags)</c> (glibc 2.34).</summary>
    [LibraryImport(LibraryName, EntryPoint = "close_range", SetLastError = true)]
    internal static partial int CloseRange(uint first, uint last, int flags);
}
