using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>Room for glibc's struct termios (60 bytes on Linux), left opaque: only cfmakeraw edits it.</summary>
    internal const int TermiosBytes = TermiosBuffer.Size;

    [LibraryImport(LibraryName, EntryPoint = "tcgetattr", SetLastError = true)]
    internal static partial int Tcgetattr(SafeHandle fd, Span<byte> termios);

    [LibraryImport(LibraryName, EntryPoint = "tcgetattr", SetLastError = true)]
    internal static partial int Tcgetattr(int fd, out TermiosBuffer termios);
}
