using System.Text;
using Berth.Linux.Cgroups;

namespace Berth.Linux.Tests.Cgroups;

/// <summary>The cgroup text formats: mountinfo, /proc/PID/cgroup on v1, hybrid and v2 hosts, /proc/stat, cgroup files.</summary>
public sealed class CgroupParsingTests
{
    private const string HybridMountInfo = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    [Fact]
    public void A_hybrid_host_resolves_each_v1_controller_and_ignores_the_empty_unified_hierarchy()
    {
        var mounts = CgroupMounts.Parse(HybridMountInfo);
        Assert.Equal(7, mounts.Length);
        Assert.Equal(["memory"], mounts.Single(m => m.MountPoint == "/sys/fs/cgroup/memory").Controllers.ToArray());
        Assert.Empty(mounts.Single(m => m.MountPoint == "/sys/fs/cgroup/systemd").Controllers);

        var cgroup = ContainerCgroup.Resolve("""
            8:pids:/berthd/c1
            4:memory:/process_api/x/c1
            2:cpuacct:/berthd/c1
            1:cpu:/berthd/c1
            0::/
            """, mounts);
        Assert.Null(cgroup.Unified);
        Assert.Equal("/sys/fs/cgroup/memory/process_api/x/c1", cgroup.DirectoryOf(CgroupControllers.Memory));
        Assert.Equal("/sys/fs/cgroup/pids/berthd/c1", cgroup.DirectoryOf(CgroupControllers.Pids));
        Assert.Null(cgroup.DirectoryOf(CgroupControllers.Freezer));
    }

    [Fact]
    public void A_v2_host_gives_one_directory_under_the_mounts_root()
    {
        var mounts = CgroupMounts.Parse("30 23 0:26 /berth /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        var cgroup = ContainerCgroup.Resolve("0::/berth/c1\n", mounts);
        Assert.Equal("/sys/fs/cgroup/c1", cgroup.Unified);
        Assert.Equal("/sys/fs/cgroup/c1", cgroup.DirectoryOf(CgroupControllers.Memory));
        Assert.Null(ContainerCgroup.Resolve("0::/elsewhere/c1\n", mounts).Unified);
    }

    [Fact]
    public void Proc_stat_sums_moby_s_seven_fields_in_nanoseconds_and_counts_the_cpus()
    {
        var (total, cpus) = HostCpu.Parse("""
            cpu  100 5 50 1000 10 1 2 99 0 0
            cpu0 50 2 25 500 5 1 1 0 0 0
            cpu1 50 3 25 500 5 0 1 0 0 0
            intr 12345 0 0
            """u8);
        Assert.Equal((100UL + 5 + 50 + 1000 + 10 + 1 + 2) * 10_000_000, total);
        Assert.Equal(2U, cpus);
    }

    [Fact]
    public void Blkio_v1_and_io_stat_v2_become_dockers_entries()
    {
        var v1 = CgroupStatsReader.Blkio("254:0 Read 4096\n254:0 Write 8192\n254:0 Total 12288\nTotal 12288\n"u8);
        Assert.Equal([new BlkioEntry(254, 0, "Read", 4096), new BlkioEntry(254, 0, "Write", 8192), new BlkioEntry(254, 0, "Total", 12288)], v1.ToArray());
        var v2 = CgroupStatsReader.IoStat("8:16 rbytes=1024 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0\n"u8);
        Assert.Equal([new BlkioEntry(8, 16, "read", 1024), new BlkioEntry(8, 16, "write", 2048)], v2.ToArray());
    }

    [Fact]
    public void Cgroup_files_read_max_as_unlimited_and_keyed_values_by_key()
    {
        Assert.Equal(ulong.MaxValue, CgroupText.Single("max\n"u8));
        Assert.Equal(67108864UL, CgroupText.Single("67108864\n"u8));
        Assert.Equal(7UL, CgroupText.Keyed("oom 3\noom_kill 7\n"u8, "oom_kill"u8));
        Assert.Equal(3UL, CgroupText.Keyed("oom 3\noom_kill 7\n"u8, "oom"u8));
        Assert.Equal(0UL, CgroupText.Keyed("low 1\n"u8, "oom"u8));
    }

    [Fact]
    public void A_reader_over_v2_files_samples_them_again_and_again()
    {
        string directory = Path.Combine(Path.GetTempPath(), "berth-cgroup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            Write(directory, "cpu.stat", "usage_usec 2000\nuser_usec 1500\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\nthrottled_usec 30\n");
            Write(directory, "memory.current", "1048576\n");
            Write(directory, "memory.max", "max\n");
            Write(directory, "memory.stat", "anon 4096\nfile 8192\ninactive_file 1024\n");
            Write(directory, "memory.events", "low 0\nhigh 0\nmax 2\noom 1\noom_kill 1\n");
            Write(directory, "pids.current", "3\n");
            Write(directory, "pids.max", "50\n");
            using var reader = CgroupStatsReader.Open(new ContainerCgroup { Unified = directory });
            var first = reader.Read()!;
            Assert.Equal(2_000_000UL, first.CpuTotalNanos);
            Assert.Equal(1_500_000UL, first.CpuUserNanos);
            Assert.Equal(30_000UL, first.ThrottledNanos);
            Assert.Equal(ulong.MaxValue, first.MemoryLimit);
            Assert.Equal(1UL, first.MemoryFailcnt);
            Assert.Equal(50UL, first.PidsLimit);
            Assert.Equal(["anon", "file", "inactive_file"], first.MemoryStat.Select(p => p.Key));
            Assert.Empty(first.IoServiceBytes);

            Write(directory, "cpu.stat", "usage_usec 5000\nuser_usec 4000\nsystem_usec 1000\n");
            Write(directory, "memory.stat", "anon 8192\nfile 8192\ninactive_file 2048\n");
            var second = reader.Read()!;
            Assert.Equal(5_000_000UL, second.CpuTotalNanos);
            Assert.Same(first.MemoryStat[0].Key, second.MemoryStat[0].Key);
            Assert.Equal(8192UL, second.MemoryStat[0].Value);
            Assert.Equal(1L, new ContainerCgroup { Unified = directory }.OomKills());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_reader_of_a_removed_cgroup_answers_null()
    {
        using var reader = CgroupStatsReader.Open(new ContainerCgroup { Unified = "/nonexistent/berth-cgroup" });
        Assert.Null(reader.Read());
        Assert.Equal(0L, new ContainerCgroup { Unified = "/nonexistent/berth-cgroup" }.OomKills());
    }

    private static void Write(string directory, string name, string text) =>
        File.WriteAllText(Path.Combine(directory, name), text, Encoding.ASCII);
}
