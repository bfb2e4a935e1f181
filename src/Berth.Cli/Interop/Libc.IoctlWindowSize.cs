using System.Runtime.InteropServices;

namespace Berth.Cli.Interop;

internal static partial class Libc
{
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlWindowSize(int fd, nuint request, out WindowSize size);
}
