using System.Runtime.InteropServices;

namespace Berth.Cli.Interop;

internal static partial class Libc
{
    [LibraryImport(Library, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int Tcsetattr(int fd, int optionalActions, in TermiosBuffer termios);
}
