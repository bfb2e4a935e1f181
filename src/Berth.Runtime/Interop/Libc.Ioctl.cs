using System.Runtime.InteropServices;

namespace Berth.Runtime.Interop;

internal static partial class Libc
{
    /// <summary>Sets a terminal's window size (asm-generic/ioctls.h).</summary>
    internal const nuint TIOCSWINSZ = 0x5414;

    /// <summary>struct winsize (asm-generic/termios.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [LibraryImport(LibraryName, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeHandle fd, nuint request, ref WindowSize size);
}
