namespace Berth.Linux.Cgroups;

/// <summary>cgroup controller names (cgroups(7)): v1 hierarchies by these names; on v2 their files share one directory.</summary>
public static class CgroupControllers
{
    public const string Memory = "memory";
    public const string Cpu = "cpu";
    public const string CpuAccounting = "cpuacct";
    public const string Pids = "pids";
    public const string Blkio = "blkio";
    public const string Freezer = "freezer";
}
