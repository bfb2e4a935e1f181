using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>sizeof(struct stat) on x86_64 is 144 and on aarch64 128; callers pass a buffer this large.</summary>
    internal const int StatBufferSize = 256;

    /// <summary>Offset of st_dev in struct stat (x86_64 and the generic aarch64 layout alike).</summary>
    internal const int StatDeviceOffset = 0;

    /// <summary>Offset of st_ino in struct stat (x86_64 and the generic aarch64 layout alike).</summary>
    internal const int StatInodeOffset = 8;

    [LibraryImport(LibraryName, EntryPoint = "fstat", SetLastError = true)]
    internal static unsafe partial int Fstat(SafeHandle fd, byte* statBuffer);
}
