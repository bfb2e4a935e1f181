using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>RLIMIT_NOFILE (asm-generic/resource.h).</summary>
    internal const int RLIMIT_NOFILE = 7;

    [StructLayout(LayoutKind.Sequential)]
    internal struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport(LibraryName, EntryPoint = "getrlimit", SetLastError = true)]
    internal static partial int Getrlimit(int resource, out Rlimit limit);
}
