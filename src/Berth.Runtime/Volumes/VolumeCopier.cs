using Berth.Core.Errors;
using Berth.Linux.Filesystems;
using Berth.Linux.Interop;

namespace Berth.Runtime.Volumes;

/// <summary>
/// Docker's copy-up: the image's content at a volume's mount point goes into the volume when the volume is
/// still empty (moby <c>copyExistingContents</c>). Directories, regular files, symlinks, hard links, device
/// nodes and FIFOs keep their owner, mode and modification time; the volume's own directory takes the
/// owner and mode of the image's directory. Sockets are skipped; extended attributes are not copied.
/// </summary>
internal static class VolumeCopier
{
    /// <summary>True when the volume was empty and the content was copied.</summary>
    public static bool CopyIfEmpty(string source, string destination)
    {
        if (Directory.EnumerateFileSystemEntries(destination).Any())
        {
            return false;
        }

        var sourceStatus = NodeStatus.Of(source);
        if (sourceStatus is not { Type: NodeStatus.Directory } directory)
        {
            return false;
        }

        var links = new Dictionary<(uint, uint, ulong), string>();
        CopyChildren(source, destination, links);
        ApplyMetadata(destination, directory);
        return true;
    }

    private static void CopyChildren(string source, string destination, Dictionary<(uint, uint, ulong), string> links)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(source))
        {
            string name = Path.GetFileName(entry);
            string target = Path.Combine(destination, name);
            if (NodeStatus.Of(entry) is not { } status)
            {
                continue;
            }

            switch (status.Type)
            {
                case NodeStatus.Directory:
                    Directory.CreateDirectory(target);
                    CopyChildren(entry, target, links);
                    ApplyMetadata(target, status);
                    break;
                case NodeStatus.Symlink:
                    File.CreateSymbolicLink(target, new FileInfo(entry).LinkTarget ?? "");
                    Check(Libc.Lchown(target, (int)status.Uid, (int)status.Gid), "chown", target);
                    break;
                case NodeStatus.Socket:
                    break;
                case NodeStatus.Regular:
                    var key = (status.DeviceMajor, status.DeviceMinor, status.Inode);
                    if (links.TryGetValue(key, out string? first))
                    {
                        Check(Libc.Link(first, target), "link", target);
                        break;
                    }

                    File.Copy(entry, target);
                    ApplyMetadata(target, status);
                    links[key] = target;
                    break;
                default:
                    // Character and block devices and FIFOs: the same node, made afresh.
                    Check(Libc.Mknod(target, status.Mode, Libc.MakeDevice(status.RdevMajor, status.RdevMinor)), "mknod", target);
                    ApplyMetadata(target, status);
                    break;
            }
        }
    }

    /// <summary>Owner first: chown clears setuid and setgid, which the mode then sets again.</summary>
    private static void ApplyMetadata(string path, NodeStatus status)
    {
        Check(Libc.Lchown(path, (int)status.Uid, (int)status.Gid), "chown", path);
        File.SetUnixFileMode(path, (UnixFileMode)(status.Mode & NodeStatus.PermissionMask));
        File.SetLastWriteTimeUtc(path, status.Modified.UtcDateTime);
    }

    private static void Check(int result, string operation, string path)
    {
        if (result != 0)
        {
            Errno errno = Libc.LastErrno();
            throw new BerthException(ErrorKind.Internal, $"copying the image's content into the volume: {operation} {path} failed ({errno}: {Libc.Describe(errno)})");
        }
    }
}
