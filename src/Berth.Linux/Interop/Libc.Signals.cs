namespace Berth.Linux.Interop;

internal static partial class Libc
{
    // Signal numbers on Linux x86-64 and arm64 (asm-generic/signal.h).
    internal const int SIGKILL = 9;
    internal const int SIGTERM = 15;
    internal const int SIGWINCH = 28;
}
