using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "getsockname", SetLastError = true)]
    internal static unsafe partial int GetSockName(SafeHandle fd, void* address, uint* addressLength);
}
