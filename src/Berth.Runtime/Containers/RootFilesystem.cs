using Berth.Core.Errors;
using Berth.Linux.Interop;
using Berth.Linux.Namespaces;

namespace Berth.Runtime.Containers;

/// <summary>
/// A container's root filesystem: one overlayfs mount whose lower layers are the image's layer
/// directories (top first), with the writable upper and work directories in the container's directory.
/// </summary>
public static class RootFilesystem
{
    /// <summary>The kernel copies at most one page of mount data (mount(2)); longer lowerdir lists fail with EINVAL.</summary>
    public const int MaxMountDataBytes = 4096;

    /// <summary>
    /// Mounts the overlay on <see cref="ContainerPaths.Rootfs"/>, making upper, work and merged directories. With a
    /// <paramref name="userNamespace"/>, the upper directory (whose owner is the merged root's) is the remapped root's.
    /// </summary>
    public static void Mount(ContainerPaths paths, IReadOnlyList<string> layers, IdentityMapping? userNamespace = null)
    {
        if (layers.Count == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "a container needs at least one image layer for its root filesystem");
        }

        foreach (string layer in layers)
        {
            if (!Directory.Exists(layer))
            {
                throw new BerthException(ErrorKind.NotFound, $"image layer directory {layer} does not exist");
            }

            if (layer.Contains(':', StringComparison.Ordinal) || layer.Contains(',', StringComparison.Ordinal))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"image layer directory {layer} contains ':' or ',', which overlayfs options cannot express");
            }
        }

        Directory.CreateDirectory(paths.Rootfs);
        string data = Options(paths, layers);
        if (userNamespace is not null)
        {
            Users.RemappedOwner.GiveToRoot(userNamespace, paths.Upper);
        }

        if (Libc.Mount("overlay", paths.Rootfs, "overlay", 0, data) != 0)
        {
            Errno errno = Libc.LastErrno();
            throw new BerthException(
                errno is Errno.ENODEV ? ErrorKind.NotSupported : ErrorKind.Internal,
                $"cannot mount the overlay root filesystem on {paths.Rootfs} ({errno}: {Libc.Describe(errno)})");
        }
    }

    /// <summary>The overlay's mount options (upper and work directories made when missing), checked against the kernel's limit.</summary>
    public static string Options(ContainerPaths paths, IReadOnlyList<string> layers)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Directory.CreateDirectory(paths.Upper);
        Directory.CreateDirectory(paths.Work);
        string data = $"lowerdir={string.Join(':', layers)},upperdir={paths.Upper},workdir={paths.Work}";
        if (System.Text.Encoding.UTF8.GetByteCount(data) >= MaxMountDataBytes)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"the overlay options for {paths.Rootfs} are {data.Length} bytes; the kernel takes less than {MaxMountDataBytes} (too many or too long layer paths)");
        }

        return data;
    }

    /// <summary>Unmounts the rootfs; nothing happens when it is not mounted (or its directory is gone).</summary>
    public static void Unmount(ContainerPaths paths)
    {
        // Loop: a mount may have been stacked by a retried create; EINVAL means "not a mount point" now.
        while (true)
        {
            if (Libc.Umount2(paths.Rootfs, 0) == 0)
            {
                continue;
            }

            Errno errno = Libc.LastErrno();
            if (errno is Errno.EINVAL or Errno.ENOENT)
            {
                return;
            }

            if (errno is Errno.EBUSY && Libc.Umount2(paths.Rootfs, Libc.MNT_DETACH) == 0)
            {
                continue;
            }

            throw new BerthException(ErrorKind.Internal, $"cannot unmount the root filesystem {paths.Rootfs} ({errno}: {Libc.Describe(errno)})");
        }
    }

    /// <summary>Whether something is mounted exactly on the rootfs directory (per /proc/self/mountinfo).</summary>
    public static bool IsMounted(ContainerPaths paths)
    {
        string target = " " + paths.Rootfs + " ";
        return File.ReadLines("/proc/self/mountinfo").Any(line => line.Contains(target, StringComparison.Ordinal));
    }
}
