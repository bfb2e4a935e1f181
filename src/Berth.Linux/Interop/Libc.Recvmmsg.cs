using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>Receives up to <paramref name="count"/> datagrams in one call (recvmmsg(2)); no timeout.</summary>
    [LibraryImport(LibraryName, EntryPoint = "recvmmsg", SetLastError = true)]
    internal static unsafe partial int Recvmmsg(SafeHandle fd, MultiMessageHeader* messages, uint count, int flags, void* timeout);
}
