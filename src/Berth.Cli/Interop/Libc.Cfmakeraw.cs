using System.Runtime.InteropServices;

namespace Berth.Cli.Interop;

internal static partial class Libc
{
    /// <summary>The same flags moby/term's MakeRaw clears: no echo, no canonical mode, no signals, 8-bit, VMIN 1.</summary>
    [LibraryImport(Library, EntryPoint = "cfmakeraw")]
    public static partial void Cfmakeraw(ref TermiosBuffer termios);
}
