using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>Sends up to <paramref name="count"/> datagrams in one call (sendmmsg(2)); returns how many went.</summary>
    [LibraryImport(LibraryName, EntryPoint = "sendmmsg", SetLastError = true)]
    internal static unsafe partial int Sendmmsg(SafeHandle fd, MultiMessageHeader* messages, uint count, int flags);
}
