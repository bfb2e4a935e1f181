namespace Berth.Runtime.Files;

/// <summary>
/// What the runtime itself puts in a container's writable layer: mount points for <c>/proc</c>, <c>/sys</c>, <c>/dev</c>
/// and Berth's own <c>/etc/hosts</c>, <c>/etc/hostname</c> and <c>/etc/resolv.conf</c> (runc makes them when the image
/// lacks them). Docker keeps the same paths in an "init" layer below the container's own (moby
/// <c>daemon/initlayer</c>), so neither <c>docker diff</c> nor <c>docker commit</c> shows them; Berth leaves them out of both.
/// </summary>
public static class InitPaths
{
    private static readonly HashSet<string> Paths = new(StringComparer.Ordinal)
    {
        "/proc", "/sys", "/dev", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/.dockerenv",
    };

    /// <summary>True for an init path itself or anything below one (mounts hide what is below them anyway).</summary>
    public static bool Contains(string containerPath)
    {
        foreach (string path in Paths)
        {
            if (containerPath == path || containerPath.StartsWith(path + "/", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for a directory above an init path (<c>/etc</c>), which the runtime may have made or touched only for it.</summary>
    public static bool IsAncestor(string containerPath) =>
        Paths.Any(path => path.StartsWith(containerPath.TrimEnd('/') + "/", StringComparison.Ordinal));
}
