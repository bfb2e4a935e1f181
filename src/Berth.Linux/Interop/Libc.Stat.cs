using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>stat(2) into a buffer of <see cref="StatBufferSize"/> bytes; fields read at their x86-64/arm64 offsets.</summary>
    [LibraryImport(LibraryName, EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int Stat(string path, byte* statBuffer);
}
