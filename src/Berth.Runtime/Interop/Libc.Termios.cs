using System.Runtime.InteropServices;

namespace Berth.Runtime.Interop;

internal static partial class Libc
{
    /// <summary>tcsetattr: apply at once.</summary>
    internal const int TCSANOW = 0;

    /// <summary>Room for glibc's struct termios (60 bytes on Linux), left opaque: only cfmakeraw edits it.</summary>
    internal const int TermiosBytes = 64;

    [LibraryImport(LibraryName, EntryPoint = "tcgetattr", SetLastError = true)]
    internal static partial int Tcgetattr(SafeHandle fd, Span<byte> termios);

    [LibraryImport(LibraryName, EntryPoint = "cfmakeraw")]
    internal static partial void Cfmakeraw(Span<byte> termios);

    [LibraryImport(LibraryName, EntryPoint = "tcsetattr", SetLastError = true)]
    internal static partial int Tcsetattr(SafeHandle fd, int optionalActions, ReadOnlySpan<byte> termios);
}
