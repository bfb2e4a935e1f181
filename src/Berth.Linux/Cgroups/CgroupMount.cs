using System.Collections.Immutable;

namespace Berth.Linux.Cgroups;

/// <summary>
/// One mounted cgroup hierarchy as /proc/self/mountinfo shows it: where it is mounted, which cgroup is its root (not
/// "/" inside a cgroup namespace or a bind mount), and its controllers (cgroup v1: the super options naming them;
/// cgroup v2: <see cref="Unified"/>, controllers read from <c>cgroup.controllers</c>).
/// </summary>
public sealed record CgroupMount(string MountPoint, string Root, bool Unified, ImmutableArray<string> Controllers)
{
    /// <summary>The directory of <paramref name="cgroupPath"/> (a path as /proc/PID/cgroup gives it), or null when it lies outside this mount.</summary>
    public string? DirectoryOf(string cgroupPath)
    {
        ArgumentNullException.ThrowIfNull(cgroupPath);
        string relative;
        if (Root == "/")
        {
            relative = cgroupPath;
        }
        else if (cgroupPath == Root || cgroupPath.StartsWith(Root + "/", StringComparison.Ordinal))
        {
            relative = cgroupPath[Root.Length..];
        }
        else
        {
            return null;
        }

        return relative.Length == 0 || relative == "/" ? MountPoint : MountPoint + (relative.StartsWith('/') ? relative : "/" + relative);
    }
}
