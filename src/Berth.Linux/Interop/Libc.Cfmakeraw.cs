using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "cfmakeraw")]
    internal static partial void Cfmakeraw(Span<byte> termios);

    [LibraryImport(LibraryName, EntryPoint = "cfmakeraw")]
    internal static partial void Cfmakeraw(ref TermiosBuffer termios);
}
