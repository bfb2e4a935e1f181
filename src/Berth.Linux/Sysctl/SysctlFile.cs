using System.Text;
using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Sysctl;

/// <summary>
/// Reads and writes one /proc/sys file with plain syscalls on the calling thread: procfs resolves
/// /proc/sys/net to the network namespace of the thread that opens the file.
/// </summary>
internal static class SysctlFile
{
    /// <summary>Sysctl values are short; one page holds any of the net ones.</summary>
    private const int MaxValueBytes = 4096;

    internal static unsafe string Read(string key, string path)
    {
        using FileDescriptorHandle fd = Open(key, path, Libc.O_RDONLY);
        byte[] buffer = new byte[MaxValueBytes];
        int total = 0;
        fixed (byte* start = buffer)
        {
            while (total < buffer.Length)
            {
                nint count = Libc.Read(fd, start + total, (nuint)(buffer.Length - total));
                if (count < 0)
                {
                    Errno errno = Libc.LastErrno();
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    throw new KernelException(errno, $"reading sysctl {key} ({path})");
                }

                if (count == 0)
                {
                    break;
                }

                total += (int)count;
            }
        }

        return Encoding.UTF8.GetString(buffer, 0, total).TrimEnd('\n');
    }

    internal static unsafe void Write(string key, string path, string value)
    {
        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"value for sysctl {key} contains a newline or NUL; give a single-line value");
        }

        using FileDescriptorHandle fd = Open(key, path, Libc.O_WRONLY);
        byte[] bytes = Encoding.UTF8.GetBytes(value + "\n");
        fixed (byte* start = bytes)
        {
            // procfs sysctl handlers take the whole value in one write.
            nint count;
            do
            {
                count = Libc.Write(fd, start, (nuint)bytes.Length);
            }
            while (count < 0 && Libc.LastErrno() == Errno.EINTR);

            if (count < 0)
            {
                Errno errno = Libc.LastErrno();
                throw errno == Errno.EINVAL
                    ? new KernelException(errno, $"the kernel rejected value \"{value}\" for sysctl {key}; check the allowed range")
                    : new KernelException(errno, $"writing \"{value}\" to sysctl {key} ({path})");
            }
        }

        Reliability.CrashPoints.Pass("sysctl");
    }

    private static FileDescriptorHandle Open(string key, string path, int flags)
    {
        int fd = Libc.Open(path, flags | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            Errno errno = Libc.LastErrno();
            throw errno == Errno.ENOENT
                ? new KernelException(errno, $"sysctl {key} does not exist in this network namespace ({path}); check the key, whether the interface exists, and whether IPv6 is enabled")
                : new KernelException(errno, $"opening sysctl {key} ({path})");
        }

        return new FileDescriptorHandle(fd);
    }
}
