using System.Runtime.InteropServices;

namespace Berth.Cli.Interop;

internal static partial class Libc
{
    [LibraryImport(Library, EntryPoint = "isatty", SetLastError = true)]
    public static partial int Isatty(int fd);
}
