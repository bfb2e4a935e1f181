using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>
    /// malloc_trim(3): gives the free memory at the top of the main heap and every whole free page inside any arena
    /// back to the kernel. <paramref name="pad"/> is how much free space to keep at the top. Returns 1 if memory
    /// was released, 0 if none could be (it sets no errno).
    /// </summary>
    [LibraryImport(LibraryName, EntryPoint = "malloc_trim")]
    internal static partial int MallocTrim(nuint pad);
}
