using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Api.Interop;

/// <summary>The glibc entry points the API layer needs (one per file); errno is read at once.</summary>
internal static partial class Libc
{
    internal const string LibraryName = "libc.so.6";

    /// <summary><c>(uid_t)-1</c>: leave the owner as it is.</summary>
    internal const uint UnchangedId = uint.MaxValue;

    internal static Errno LastErrno() => (Errno)Marshal.GetLastPInvokeError();
}
