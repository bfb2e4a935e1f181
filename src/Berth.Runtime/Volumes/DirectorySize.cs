using Berth.Linux.Filesystems;

namespace Berth.Runtime.Volumes;

/// <summary>The bytes of the files under a directory, as moby's <c>directory.Size</c> counts them: symlinks not followed, each inode once.</summary>
internal static class DirectorySize
{
    public static long Of(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var seen = new HashSet<(uint, uint, ulong)>();
        long total = 0;
        var pending = new Stack<string>([directory]);
        while (pending.TryPop(out string? current))
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(current))
            {
                if (NodeStatus.Of(entry) is not { } status)
                {
                    continue;
                }

                if (status.Type == NodeStatus.Directory)
                {
                    pending.Push(entry);
                }
                else if (seen.Add((status.DeviceMajor, status.DeviceMinor, status.Inode)))
                {
                    total += status.Size;
                }
            }
        }

        return total;
    }
}
