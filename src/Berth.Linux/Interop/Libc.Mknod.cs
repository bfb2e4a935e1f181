using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    // File type bits of st_mode (sys/stat.h).
    internal const uint S_IFIFO = 0x1000;
    internal const uint S_IFCHR = 0x2000;
    internal const uint S_IFBLK = 0x6000;

    [LibraryImport(LibraryName, EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mknod(string path, uint mode, ulong device);

    /// <summary>glibc's makedev macro (sys/sysmacros.h): 12+20 bit major, 8+24 bit minor.</summary>
    internal static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000u) << 32) | ((ulong)(major & 0xfffu) << 8)
        | ((ulong)(minor & 0xffffff00u) << 12) | (minor & 0xffu);
}
