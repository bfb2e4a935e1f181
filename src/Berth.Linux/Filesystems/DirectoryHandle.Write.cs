using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Filesystems;

/// <summary>Making, changing and removing children: always one component in this directory, never through a symlink.</summary>
public sealed partial class DirectoryHandle
{
    /// <summary>0755: what <c>mkdir -p</c> gives directories made on the way.</summary>
    public const uint DefaultDirectoryMode = 0x1ED;

    /// <summary>A new regular file (O_EXCL: nothing is replaced, nothing followed), open for writing.</summary>
    public SafeFileHandle CreateFile(string name, uint mode)
    {
        int fd = Libc.Openat(Fd, name, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, mode & NodeStatus.PermissionMask);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw KernelException.FromLastError($"create the file {name}");
    }

    public void MakeDirectory(string name, uint mode) =>
        Check(Libc.Mkdirat(Fd, name, mode & NodeStatus.PermissionMask), "make the directory", name);

    public void MakeSymlink(string name, string target) =>
        Check(Libc.Symlinkat(target, Fd, name), "make the symlink", name);

    /// <summary>A hard link <paramref name="name"/> here to <paramref name="targetName"/> in <paramref name="targetDirectory"/> (a symlink target is linked itself).</summary>
    public void MakeHardLink(string name, DirectoryHandle targetDirectory, string targetName)
    {
        ArgumentNullException.ThrowIfNull(targetDirectory);
        Check(Libc.Linkat(targetDirectory.Fd, targetName, Fd, name, 0), "make the hard link", name);
    }

    /// <summary>A device node or FIFO; <paramref name="mode"/> carries the type bits.</summary>
    public void MakeNode(string name, uint mode, uint major, uint minor) =>
        Check(Libc.Mknodat(Fd, name, mode, Libc.MakeDevice(major, minor)), "make the node", name);

    /// <summary>Owner of the child (a symlink itself); an empty name is this directory.</summary>
    public void SetOwner(string name, uint uid, uint gid) =>
        Check(Libc.Fchownat(Fd, name, (int)uid, (int)gid, name.Length == 0 ? Libc.AT_EMPTY_PATH : Libc.AT_SYMLINK_NOFOLLOW), "change the owner of", name);

    /// <summary>Permission bits (with setuid, setgid, sticky) of a child that is not a symlink; "." is this directory.</summary>
    public void SetMode(string name, uint mode) =>
        Check(Libc.Fchmodat(Fd, name, mode & NodeStatus.PermissionMask, 0), "change the mode of", name);

    /// <summary>Access and modification time of the child (a symlink itself); "." is this directory.</summary>
    public void SetModified(string name, DateTimeOffset modified)
    {
        long ticks = modified.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var time = new Libc.TimeSpec { Seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest), Nanoseconds = rest * 100 };
        if (time.Nanoseconds < 0)
        {
            time = new Libc.TimeSpec { Seconds = time.Seconds - 1, Nanoseconds = time.Nanoseconds + 1_000_000_000 };
        }

        Check(Libc.Utimensat(Fd, name, [time, time], Libc.AT_SYMLINK_NOFOLLOW), "set the times of", name);
    }

    /// <summary>Removes the child, a whole directory tree included (walked by descriptor: symlinks in it are removed, never followed).</summary>
    public void RemoveTree(string name)
    {
        if (Libc.Unlinkat(Fd, name, 0) == 0)
        {
            return;
        }

        Errno errno = Libc.LastErrno();
        if (errno == Errno.ENOENT)
        {
            return;
        }

        if (errno is not (Errno.EISDIR or Errno.EPERM))
        {
            throw new KernelException(errno, $"remove {name}");
        }

        using (var child = OpenDirectory(name))
        {
            if (child is not null)
            {
                foreach (string entry in child.Names())
                {
                    child.RemoveTree(entry);
                }
            }
        }

        Check(Libc.Unlinkat(Fd, name, Libc.AT_REMOVEDIR), "remove the directory", name);
    }

    /// <summary>
    /// Opens <paramref name="path"/> resolved with this directory as the root, making missing directories (0755) on the
    /// way, owned by <paramref name="owner"/> when given (moby's <c>MkdirAllAndChownNew</c>: existing ones keep theirs).
    /// </summary>
    public DirectoryHandle MakeDirectoriesInRoot(string path, (uint Uid, uint Gid)? owner = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var current = OpenDirectoryInRoot("/") ?? throw new KernelException(Errno.ENOENT, "open the root directory");
        string walked = "";
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            walked += "/" + part;
            var next = OpenDirectoryInRoot(walked);
            if (next is null)
            {
                try
                {
                    current.MakeDirectory(part, DefaultDirectoryMode);
                    if (owner is var (uid, gid))
                    {
                        current.SetOwner(part, uid, gid);
                    }
                }
                catch (KernelException e) when (e.Errno == Errno.EEXIST)
                {
                    // Made meanwhile, or a symlink whose target is missing: the open below says which.
                }

                next = OpenDirectoryInRoot(walked) ?? throw new KernelException(Errno.ENOTDIR, $"open the directory {walked}");
            }

            current.Dispose();
            current = next;
        }

        return current;
    }

    private static void Check(int result, string action, string name)
    {
        if (result != 0)
        {
            throw KernelException.FromLastError($"{action} {name}");
        }
    }
}
