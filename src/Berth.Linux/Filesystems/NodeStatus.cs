using System.Buffers.Binary;
using Berth.Linux.Interop;

namespace Berth.Linux.Filesystems;

/// <summary>What <c>statx(2)</c> says of one node (a symlink itself, never its target).</summary>
public readonly record struct NodeStatus(
    uint Mode, uint Uid, uint Gid, long Size, ulong Inode, uint Links, uint DeviceMajor, uint DeviceMinor, uint RdevMajor, uint RdevMinor,
    long ModifiedSeconds, uint ModifiedNanoseconds)
{
    /// <summary>File type bits of st_mode (sys/stat.h).</summary>
    public const uint TypeMask = 0xF000;
    public const uint Fifo = 0x1000;
    public const uint CharacterDevice = 0x2000;
    public const uint Directory = 0x4000;
    public const uint BlockDevice = 0x6000;
    public const uint Regular = 0x8000;
    public const uint Symlink = 0xA000;
    public const uint Socket = 0xC000;

    /// <summary>Permission bits with setuid, setgid and sticky (07777).</summary>
    public const uint PermissionMask = 0xFFF;

    public uint Type => Mode & TypeMask;

    public uint Permissions => Mode & PermissionMask;

    public bool IsDirectory => Type == Directory;

    public bool IsRegular => Type == Regular;

    public bool IsSymlink => Type == Symlink;

    /// <summary>An overlayfs whiteout: a character device 0/0 (Documentation/filesystems/overlayfs.rst).</summary>
    public bool IsWhiteout => Type == CharacterDevice && RdevMajor == 0 && RdevMinor == 0;

    public DateTimeOffset Modified => DateTimeOffset.FromUnixTimeSeconds(ModifiedSeconds).AddTicks(ModifiedNanoseconds / 100);

    /// <summary>What is at <paramref name="path"/> (a final symlink not followed); null when nothing is there.</summary>
    public static unsafe NodeStatus? Of(string path)
    {
        byte* buffer = stackalloc byte[Libc.StatxBufferSize];
        if (Libc.Statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, buffer) != 0)
        {
            return Libc.LastErrno() is Errno.ENOENT or Errno.ENOTDIR ? null : throw KernelException.FromLastError($"stat {path}");
        }

        return Parse(new ReadOnlySpan<byte>(buffer, Libc.StatxBufferSize));
    }

    /// <summary>Decodes a <c>struct statx</c> (linux/stat.h offsets, the same on every architecture).</summary>
    internal static NodeStatus Parse(ReadOnlySpan<byte> statx) => new(
        Mode: BinaryPrimitives.ReadUInt16LittleEndian(statx[28..]),
        Uid: BinaryPrimitives.ReadUInt32LittleEndian(statx[20..]),
        Gid: BinaryPrimitives.ReadUInt32LittleEndian(statx[24..]),
        Size: (long)BinaryPrimitives.ReadUInt64LittleEndian(statx[40..]),
        Inode: BinaryPrimitives.ReadUInt64LittleEndian(statx[32..]),
        Links: BinaryPrimitives.ReadUInt32LittleEndian(statx[16..]),
        DeviceMajor: BinaryPrimitives.ReadUInt32LittleEndian(statx[136..]),
        DeviceMinor: BinaryPrimitives.ReadUInt32LittleEndian(statx[140..]),
        RdevMajor: BinaryPrimitives.ReadUInt32LittleEndian(statx[128..]),
        RdevMinor: BinaryPrimitives.ReadUInt32LittleEndian(statx[132..]),
        ModifiedSeconds: BinaryPrimitives.ReadInt64LittleEndian(statx[112..]),
        ModifiedNanoseconds: BinaryPrimitives.ReadUInt32LittleEndian(statx[120..]));
}
