using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary><c>struct winsize</c> (asm-generic/termios.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WindowSize
{
    public ushort Rows;
    public ushort Columns;
    public ushort XPixels;
    public ushort YPixels;
}
