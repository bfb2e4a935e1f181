namespace Berth.Cli.Interop;

/// <summary>The few libc calls the CLI needs for terminals: one function per file.</summary>
internal static partial class Libc
{
    private const string Library = "libc";

    public const int StdinFileno = 0;
    public const int StdoutFileno = 1;
    public const int StderrFileno = 2;

    /// <summary>tcsetattr's TCSANOW: apply at once (moby/term sets raw mode the same way, TCSETS).</summary>
    public const int TcsaNow = 0;

    /// <summary>ioctl request TIOCGWINSZ (asm-generic/ioctls.h).</summary>
    public const nuint Tiocgwinsz = 0x5413;
}
