using System.Runtime.InteropServices;

namespace Berth.Runtime.Interop;

internal static partial class Libc
{
    /// <summary>umount2 flag: detach now, finish when the mount is no longer busy (linux/fs.h).</summary>
    internal const int MNT_DETACH = 2;

    [LibraryImport(LibraryName, EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Umount2(string target, int flags);
}
