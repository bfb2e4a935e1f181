using System.Runtime.InteropServices;

namespace Berth.Runtime.Interop;

internal static partial class Libc
{
    /// <summary>sizeof(struct stat) is 144 on x86_64 and 128 on aarch64; callers pass a buffer this large.</summary>
    internal const int StatBufferSize = 256;

    /// <summary>Offset of st_ino in struct stat (x86_64 and the generic aarch64 layout alike).</summary>
    internal const int StatInodeOffset = 8;

    [LibraryImport(LibraryName, EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int Stat(string path, byte* statBuffer);

    [LibraryImport(LibraryName, EntryPoint = "fstat", SetLastError = true)]
    internal static unsafe partial int Fstat(SafeHandle fd, byte* statBuffer);
}
