namespace Berth.Linux.Sockets;

/// <summary>A process holding a socket: its pid and command name (<c>/proc/PID/comm</c>).</summary>
public sealed record SocketOwner(int Pid, string Command)
{
    /// <summary>
    /// The processes holding sockets of these inodes, found through <c>/proc/*/fd</c> (links read
    /// <c>socket:[INODE]</c>). Processes that exit meanwhile, or whose descriptors this process may not read, are
    /// skipped: an inode may have no owner in the result.
    /// </summary>
    public static IReadOnlyDictionary<ulong, SocketOwner> Find(IReadOnlySet<ulong> inodes)
    {
        ArgumentNullException.ThrowIfNull(inodes);
        var owners = new Dictionary<ulong, SocketOwner>();
        if (inodes.Count == 0)
        {
            return owners;
        }

        foreach (string process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                foreach (string fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
                {
                    if (Inode(new FileInfo(fd).LinkTarget) is { } inode && inodes.Contains(inode) && !owners.ContainsKey(inode))
                    {
                        owners[inode] = new SocketOwner(pid, File.ReadAllText(Path.Combine(process, "comm")).TrimEnd('\n'));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // exited while we looked, or not ours to read
            }
        }

        return owners;
    }

    /// <summary><c>socket:[12345]</c> → 12345.</summary>
    internal static ulong? Inode(string? linkTarget) =>
        linkTarget is not null && linkTarget.StartsWith("socket:[", StringComparison.Ordinal) && linkTarget.EndsWith(']')
            && ulong.TryParse(linkTarget.AsSpan(8, linkTarget.Length - 9), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong inode)
            ? inode
            : null;
}
