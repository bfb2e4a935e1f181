namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// How berthd gets Debian's crun on this host. crun 1.8 refuses to create containers on a host with hybrid cgroups
/// whose cgroup2 hierarchy holds a controller (this machine's has hugetlb); there it is registered as
/// scripts/crun-hybrid-cgroups.sh, which runs crun where only the v1 hierarchies are mounted.
/// </summary>
public static class CrunRuntime
{
    public const string Binary = "/usr/bin/crun";

    private const string UnifiedControllers = "/sys/fs/cgroup/unified/cgroup.controllers";

    /// <summary>The path berthd runs for crun.</summary>
    public static string Path { get; } = NeedsWrapper() ? System.IO.Path.Combine(RepoPaths.Root, "scripts", "crun-hybrid-cgroups.sh") : Binary;

    /// <summary>berthd flags that register crun at <see cref="Path"/> (none where Debian's crun works as it is).</summary>
    public static string[] Arguments => Path == Binary ? [] : ["--add-runtime", "crun=" + Path];

    private static bool NeedsWrapper() => File.Exists(UnifiedControllers) && File.ReadAllText(UnifiedControllers).Trim().Length > 0;
}
