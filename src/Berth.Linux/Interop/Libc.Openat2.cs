using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

internal static partial class Libc
{
    /// <summary>openat2's number, the same on every architecture (the unified syscall table, linux/unistd.h; Linux 5.6).</summary>
    internal const long SYS_openat2 = 437;

    /// <summary>RESOLVE_NO_MAGICLINKS: no /proc/*/fd-style links during the lookup (linux/openat2.h).</summary>
    internal const ulong RESOLVE_NO_MAGICLINKS = 0x02;

    /// <summary>RESOLVE_NO_SYMLINKS: no symlink of any kind during the lookup.</summary>
    internal const ulong RESOLVE_NO_SYMLINKS = 0x04;

    /// <summary>RESOLVE_BENEATH: the lookup fails rather than leave the directory.</summary>
    internal const ulong RESOLVE_BENEATH = 0x08;

    /// <summary>RESOLVE_IN_ROOT: the directory is <c>/</c> for the lookup, as after chroot(2); <c>..</c> and absolute symlinks stay in it.</summary>
    internal const ulong RESOLVE_IN_ROOT = 0x10;

    /// <summary>struct open_how (linux/openat2.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>glibc has no openat2 wrapper: syscall(2) with the number.</summary>
    [LibraryImport(LibraryName, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long Openat2Syscall(long number, int directoryFd, string path, ref OpenHow how, nuint size);

    internal static int Openat2(int directoryFd, string path, int flags, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = 0, Resolve = resolve };
        return (int)Openat2Syscall(SYS_openat2, directoryFd, path, ref how, (nuint)Marshal.SizeOf<OpenHow>());
    }
}
