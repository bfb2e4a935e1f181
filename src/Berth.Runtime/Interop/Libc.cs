using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Runtime.Interop;

/// <summary>
/// glibc entry points Berth.Runtime needs, one per file. Every import sets the last error; callers
/// turn it into an <see cref="Errno"/> at once with <see cref="LastErrno"/>.
/// </summary>
internal static partial class Libc
{
    internal const string LibraryName = "libc.so.6";

    internal static Errno LastErrno() => (Errno)Marshal.GetLastPInvokeError();

    internal static string Describe(Errno errno) => Marshal.GetPInvokeErrorMessage((int)errno);
}
