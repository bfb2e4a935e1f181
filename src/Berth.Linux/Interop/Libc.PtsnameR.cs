using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>Returns 0, or an errno value (ptsname_r reports errors by return, not through errno).</summary>
    [LibraryImport(LibraryName, EntryPoint = "ptsname_r")]
    internal static partial int PtsnameR(SafeHandle fd, Span<byte> buffer, nuint length);
}
