using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    internal const ulong MS_RDONLY = 0x1;
    internal const ulong MS_REMOUNT = 0x20;
    internal const ulong MS_BIND = 0x1000;
    internal const ulong MS_REC = 0x4000;
    internal const ulong MS_PRIVATE = 1 << 18;
    internal const ulong MS_SLAVE = 1 << 19;
    internal const ulong MS_SHARED = 1 << 20;

    [LibraryImport(LibraryName, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string source, string target, string? fileSystemType, ulong flags, nint data);

    /// <summary>mount(2) with a string of options (overlay's <c>lowerdir=…</c>).</summary>
    [LibraryImport(LibraryName, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string source, string target, string fileSystemType, ulong flags, string? data);
}
