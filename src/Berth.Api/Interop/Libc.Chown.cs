using System.Runtime.InteropServices;

namespace Berth.Api.Interop;

internal static partial class Libc
{
    [LibraryImport(LibraryName, EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Chown(string path, uint owner, uint group);
}
