using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>tcsetattr: apply at once.</summary>
    internal const int TCSANOW = 0;

    [LibraryImport(LibraryName, EntryPoint = "tcsetattr", SetLastError = true)]
    internal static partial int Tcsetattr(SafeHandle fd, int optionalActions, ReadOnlySpan<byte> termios);

    [LibraryImport(LibraryName, EntryPoint = "tcsetattr", SetLastError = true)]
    internal static partial int Tcsetattr(int fd, int optionalActions, in TermiosBuffer termios);
}
