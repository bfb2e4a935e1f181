using System.Runtime.InteropServices;

namespace Berth.Cli.Interop;

internal static partial class Libc
{
    [LibraryImport(Library, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int Tcgetattr(int fd, out TermiosBuffer termios);
}
