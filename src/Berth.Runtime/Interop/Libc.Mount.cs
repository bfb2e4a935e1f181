using System.Runtime.InteropServices;

namespace Berth.Runtime.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string source, string target, string fileSystemType, ulong flags, string? data);
}
