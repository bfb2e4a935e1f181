using System.Buffers.Text;
using System.Collections.Immutable;

namespace Berth.Linux.Cgroups;

/// <summary>cgroup v1 (and hybrid hosts): one directory per controller, Documentation/admin-guide/cgroup-v1/.</summary>
public sealed partial class CgroupStatsReader
{
    /// <summary>cpuacct.stat counts USER_HZ ticks (cgroup-v1/cpuacct.rst).</summary>
    private const ulong NanosPerTick = 1_000_000_000 / HostCpu.ClockTicksPerSecond;

    private CgroupFile _cpuUsage = null!, _cpuacctStat = null!, _cpuStat = null!;
    private CgroupFile _memoryUsage = null!, _memoryMaxUsage = null!, _memoryLimit = null!, _memoryFailcnt = null!, _memoryStat = null!;
    private CgroupFile _pidsCurrent = null!, _pidsMax = null!, _ioBytes = null!, _ioServiced = null!;

    private void OpenV1(ContainerCgroup cgroup)
    {
        string? cpuacct = cgroup.DirectoryOf(CgroupControllers.CpuAccounting);
        string? memory = cgroup.DirectoryOf(CgroupControllers.Memory);
        string? pids = cgroup.DirectoryOf(CgroupControllers.Pids);
        string? blkio = cgroup.DirectoryOf(CgroupControllers.Blkio);
        _cpuUsage = File(cpuacct, "cpuacct.usage");
        _cpuacctStat = File(cpuacct, "cpuacct.stat");
        _cpuStat = File(cgroup.DirectoryOf(CgroupControllers.Cpu), "cpu.stat");
        _memoryUsage = File(memory, "memory.usage_in_bytes");
        _memoryMaxUsage = File(memory, "memory.max_usage_in_bytes");
        _memoryLimit = File(memory, "memory.limit_in_bytes");
        _memoryFailcnt = File(memory, "memory.failcnt");
        _memoryStat = File(memory, "memory.stat");
        _pidsCurrent = File(pids, "pids.current");
        _pidsMax = File(pids, "pids.max");
        _ioBytes = File(blkio, "blkio.throttle.io_service_bytes_recursive");
        _ioServiced = File(blkio, "blkio.throttle.io_serviced_recursive");
    }

    private CgroupSample? ReadV1(byte[] buffer)
    {
        var stat = Text(_memoryStat, buffer);
        if (stat.IsEmpty)
        {
            return null;
        }

        var memoryStat = KeyValues(stat);
        var cpuacct = Text(_cpuacctStat, buffer);
        ulong user = CgroupText.Keyed(cpuacct, "user"u8) * NanosPerTick;
        ulong system = CgroupText.Keyed(cpuacct, "system"u8) * NanosPerTick;
        var cpu = Text(_cpuStat, buffer);
        ulong periods = CgroupText.Keyed(cpu, "nr_periods"u8);
        ulong throttled = CgroupText.Keyed(cpu, "nr_throttled"u8);
        ulong throttledTime = CgroupText.Keyed(cpu, "throttled_time"u8);
        ulong pidsMax = Value(_pidsMax, buffer);
        return new CgroupSample
        {
            CpuTotalNanos = Value(_cpuUsage, buffer),
            CpuUserNanos = user,
            CpuSystemNanos = system,
            ThrottlingPeriods = periods,
            ThrottledPeriods = throttled,
            ThrottledNanos = throttledTime,
            MemoryUsage = Value(_memoryUsage, buffer),
            MemoryMaxUsage = Value(_memoryMaxUsage, buffer),
            MemoryLimit = Value(_memoryLimit, buffer),
            MemoryFailcnt = Value(_memoryFailcnt, buffer),
            MemoryStat = memoryStat,
            PidsCurrent = Value(_pidsCurrent, buffer),
            PidsLimit = pidsMax == ulong.MaxValue ? 0 : pidsMax,
            IoServiceBytes = Blkio(Text(_ioBytes, buffer)),
            IoServiced = Blkio(Text(_ioServiced, buffer)),
        };
    }

    /// <summary>v1 blkio counters: <c>MAJ:MIN Op VALUE</c> lines and a closing <c>Total VALUE</c> (left out, as Docker).</summary>
    internal static ImmutableArray<BlkioEntry> Blkio(ReadOnlySpan<byte> text)
    {
        var entries = ImmutableArray.CreateBuilder<BlkioEntry>();
        foreach (var range in text.Split((byte)'\n'))
        {
            var line = text[range];
            if (!CgroupText.Device(line, out ulong major, out ulong minor, out int consumed) || consumed >= line.Length)
            {
                continue;
            }

            var rest = line[(consumed + 1)..];
            int space = rest.IndexOf((byte)' ');
            if (space <= 0 || !Utf8Parser.TryParse(rest[(space + 1)..], out ulong value, out _))
            {
                continue;
            }

            entries.Add(new BlkioEntry(major, minor, Op(rest[..space]), value));
        }

        return entries.DrainToImmutable();
    }
}
