using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "ioctl", SetLastError = true)]
    internal static unsafe partial int Ioctl(SafeHandle fd, nuint request, void* argument);

    /// <summary>Reads a terminal's size (<c>struct winsize</c>).</summary>
    internal const nuint TIOCGWINSZ = 0x5413;

    /// <summary>Sets a terminal's size (<c>struct winsize</c>).</summary>
    internal const nuint TIOCSWINSZ = 0x5414;

    [LibraryImport(LibraryName, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeHandle fd, nuint request, ref WindowSize size);

    /// <summary>TIOCGWINSZ on a standard stream of this process (a descriptor berth does not own).</summary>
    [LibraryImport(LibraryName, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int IoctlWindowSize(int fd, nuint request, out WindowSize size);
}
