using Berth.Linux.Interop;

namespace Berth.Linux.Filesystems;

/// <summary>
/// A tmpfs of its own on a directory: memory only, so what is written there never reaches a disk (swap aside), and it
/// is gone with its last mount. Used for the files of swarm secrets and configs handed to a task's container, and for
/// the /dev/shm a container shares with others (<c>--ipc shareable</c>).
/// </summary>
public static class Tmpfs
{
    /// <summary>MS_NOSUID | MS_NODEV | MS_NOEXEC: nothing in it is run or is a device.</summary>
    private const ulong SafeFlags = 0x2 | 0x4 | 0x8;

    /// <summary>Root-only: the mode of a tmpfs for secrets.</summary>
    public const string PrivateMode = "0700";

    /// <summary>Makes <paramref name="directory"/> (0700) and mounts a tmpfs of at most <paramref name="sizeBytes"/> on it, with <paramref name="mode"/> (octal; root-only unless said).</summary>
    public static void Mount(string directory, long sizeBytes, string mode = PrivateMode)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (Libc.Mount("tmpfs", directory, "tmpfs", SafeFlags, $"mode={mode},size={sizeBytes}") != 0)
        {
            throw KernelException.FromLastError($"mount a tmpfs on {directory}");
        }
    }

    /// <summary>
    /// Detaches the mount on <paramref name="directory"/> (lazily: a container still holding a file bind-mounted from it
    /// keeps its copy until it goes) and removes the empty directory. Nothing mounted, or no directory: nothing to do.
    /// </summary>
    public static void Unmount(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (Libc.Umount2(directory, Libc.MNT_DETACH) != 0 && Libc.LastErrno() is not (Errno.EINVAL or Errno.ENOENT) and var errno)
        {
            throw new KernelException(errno, $"unmount the tmpfs on {directory}");
        }

        try
        {
            Directory.Delete(directory, recursive: false);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>Writes a file with its owner set while it is still 0600 and empty, then gives it <paramref name="mode"/>: no one else reads it half-made.</summary>
    public static void WriteFile(string path, ReadOnlySpan<byte> data, uint uid, uint gid, UnixFileMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? parent = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(parent))
        {
            Directory.CreateDirectory(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using (var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            if (Libc.Chown(path, uid, gid) != 0)
            {
                throw KernelException.FromLastError($"give {path} to {uid}:{gid}");
            }

            file.Write(data);
        }

        File.SetUnixFileMode(path, mode);
    }
}
