using System.Globalization;
using Berth.Linux.Interop;

namespace Berth.Linux.Processes;

/// <summary>
/// Keeps berthd's file descriptors out of its children. .NET opens everything close-on-exec, but a native library may
/// not: libnftables (1.0.6) opens each context's netlink socket without <c>SOCK_CLOEXEC</c>. Such a socket, made in a
/// container's network namespace (its load balancer, its routing-mesh return path), was inherited by every conmon
/// started while it was open, and held that namespace — its veths, its overlay ports — alive after the container
/// was gone, for as long as the other container ran (found by ClusterChaosTests' node restart).
/// </summary>
internal static class InheritedDescriptors
{
    /// <summary>The first descriptor after standard input, output and error.</summary>
    private const int FirstAfterStandardStreams = 3;

    /// <summary>
    /// Marks every descriptor from 3 up close-on-exec (after a native call that may have opened one without it).
    /// A child started by another thread between that call and this one may still take it: the window is a syscall long.
    /// </summary>
    public static void MarkCloseOnExec()
    {
        try
        {
            if (Libc.CloseRange(FirstAfterStandardStreams, uint.MaxValue, Libc.CLOSE_RANGE_CLOEXEC) == 0)
            {
                return;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // glibc before 2.34: no close_range wrapper.
        }

        // A kernel before 5.11 (no CLOSE_RANGE_CLOEXEC), or an older glibc: one descriptor at a time.
        foreach (string entry in Directory.EnumerateFiles("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int fd) && fd >= FirstAfterStandardStreams
                && Libc.Fcntl(fd, Libc.F_GETFD, 0) is var flags and >= 0 && (flags & Libc.FD_CLOEXEC) == 0)
            {
                Libc.Fcntl(fd, Libc.F_SETFD, flags | Libc.FD_CLOEXEC);
            }
        }
    }
}
