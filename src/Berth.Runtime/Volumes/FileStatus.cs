using System.Buffers.Binary;
using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Runtime.Volumes;

/// <summary>What <c>statx(2)</c> says of a path, without following a final symlink.</summary>
internal readonly record struct FileStatus(uint Mode, uint Uid, uint Gid, ulong Size, ulong Inode, uint DeviceMajor, uint DeviceMinor, uint RdevMajor, uint RdevMinor, DateTimeOffset Modified)
{
    /// <summary>File type bits of st_mode (sys/stat.h).</summary>
    public const uint TypeMask = 0xF000;

    public const uint Directory = 0x4000;

    public const uint Regular = 0x8000;

    public const uint Symlink = 0xA000;

    public const uint Socket = 0xC000;

    /// <summary>Permission bits with setuid, setgid and sticky (07777).</summary>
    public const uint PermissionMask = 0xFFF;

    public uint Type => Mode & TypeMask;

    /// <summary>Lstat-like; null when the path does not exist.</summary>
    public static unsafe FileStatus? Of(string path)
    {
        byte* buffer = stackalloc byte[Libc.StatxBufferSize];
        if (Libc.Statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, buffer) != 0)
        {
            Errno errno = Libc.LastErrno();
            if (errno is Errno.ENOENT or Errno.ENOTDIR)
            {
                return null;
            }

            throw new BerthException(ErrorKind.Internal, $"cannot stat {path} ({errno}: {Libc.Describe(errno)})");
        }

        // struct statx offsets (linux/stat.h), identical on every architecture.
        var bytes = new ReadOnlySpan<byte>(buffer, Libc.StatxBufferSize);
        long mtimeSeconds = BinaryPrimitives.ReadInt64LittleEndian(bytes[112..]);
        uint mtimeNanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(bytes[120..]);
        return new FileStatus(
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(bytes[28..]),
            Uid: BinaryPrimitives.ReadUInt32LittleEndian(bytes[20..]),
            Gid: BinaryPrimitives.ReadUInt32LittleEndian(bytes[24..]),
            Size: BinaryPrimitives.ReadUInt64LittleEndian(bytes[40..]),
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(bytes[32..]),
            DeviceMajor: BinaryPrimitives.ReadUInt32LittleEndian(bytes[136..]),
            DeviceMinor: BinaryPrimitives.ReadUInt32LittleEndian(bytes[140..]),
            RdevMajor: BinaryPrimitives.ReadUInt32LittleEndian(bytes[128..]),
            RdevMinor: BinaryPrimitives.ReadUInt32LittleEndian(bytes[132..]),
            Modified: DateTimeOffset.FromUnixTimeSeconds(mtimeSeconds).AddTicks(mtimeNanoseconds / 100));
    }
}
