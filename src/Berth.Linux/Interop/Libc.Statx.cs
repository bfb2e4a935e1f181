using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>statx dirfd meaning "relative to the working directory" (fcntl.h).</summary>
    internal const int AT_FDCWD = -100;

    /// <summary>statx flag: do not follow a final symlink (fcntl.h).</summary>
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;

    /// <summary>statx mask: the basic stat fields (linux/stat.h STATX_BASIC_STATS).</summary>
    internal const uint STATX_BASIC_STATS = 0x7ff;

    /// <summary>sizeof(struct statx): the same 256 bytes on every architecture (linux/stat.h).</summary>
    internal const int StatxBufferSize = 256;

    [LibraryImport(LibraryName, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
