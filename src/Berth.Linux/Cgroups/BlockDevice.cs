using System.Runtime.InteropServices;
using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Cgroups;

/// <summary>A device node's major and minor numbers, which the blkio/io controllers take instead of paths.</summary>
public static class BlockDevice
{
    /// <summary>Offsets of stx_rdev_major and stx_rdev_minor in struct statx (linux/stat.h).</summary>
    private const int RdevMajorOffset = 128;
    private const int RdevMinorOffset = 132;

    /// <summary>The device numbers of <paramref name="path"/>; InvalidArgument naming it when it cannot be read (Docker's <c>stat PATH: …</c>).</summary>
    public static unsafe (uint Major, uint Minor) NumbersOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte* buffer = stackalloc byte[Libc.StatxBufferSize];
        if (Libc.Statx(Libc.AT_FDCWD, path, 0, Libc.STATX_BASIC_STATS, buffer) != 0)
        {
            var errno = Libc.LastErrno();
            throw new BerthException(ErrorKind.InvalidArgument, $"stat {path}: {Marshal.GetPInvokeErrorMessage((int)errno).ToLowerInvariant()}");
        }

        var bytes = new ReadOnlySpan<byte>(buffer, Libc.StatxBufferSize);
        return (MemoryMarshal.Read<uint>(bytes[RdevMajorOffset..]), MemoryMarshal.Read<uint>(bytes[RdevMinorOffset..]));
    }
}
