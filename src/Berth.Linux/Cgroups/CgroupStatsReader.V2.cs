using System.Buffers.Text;
using System.Collections.Immutable;

namespace Berth.Linux.Cgroups;

/// <summary>cgroup v2: one directory, Documentation/admin-guide/cgroup-v2.rst.</summary>
public sealed partial class CgroupStatsReader
{
    private const ulong NanosPerMicro = 1_000;

    private CgroupFile _cpuStatV2 = null!, _memoryCurrent = null!, _memoryMax = null!, _memoryStatV2 = null!, _memoryEvents = null!;
    private CgroupFile _pidsCurrentV2 = null!, _pidsMaxV2 = null!, _ioStat = null!;

    private void OpenV2(string directory)
    {
        _cpuStatV2 = File(directory, "cpu.stat");
        _memoryCurrent = File(directory, "memory.current");
        _memoryMax = File(directory, "memory.max");
        _memoryStatV2 = File(directory, "memory.stat");
        _memoryEvents = File(directory, "memory.events");
        _pidsCurrentV2 = File(directory, "pids.current");
        _pidsMaxV2 = File(directory, "pids.max");
        _ioStat = File(directory, "io.stat");
    }

    private CgroupSample? ReadV2(byte[] buffer)
    {
        var cpu = Text(_cpuStatV2, buffer);
        if (cpu.IsEmpty)
        {
            return null;
        }

        ulong total = CgroupText.Keyed(cpu, "usage_usec"u8) * NanosPerMicro;
        ulong user = CgroupText.Keyed(cpu, "user_usec"u8) * NanosPerMicro;
        ulong system = CgroupText.Keyed(cpu, "system_usec"u8) * NanosPerMicro;
        ulong periods = CgroupText.Keyed(cpu, "nr_periods"u8);
        ulong throttled = CgroupText.Keyed(cpu, "nr_throttled"u8);
        ulong throttledTime = CgroupText.Keyed(cpu, "throttled_usec"u8) * NanosPerMicro;
        var memoryStat = KeyValues(Text(_memoryStatV2, buffer));
        ulong oom = CgroupText.Keyed(Text(_memoryEvents, buffer), "oom"u8);
        ulong pidsMax = Value(_pidsMaxV2, buffer);
        return new CgroupSample
        {
            CpuTotalNanos = total,
            CpuUserNanos = user,
            CpuSystemNanos = system,
            ThrottlingPeriods = periods,
            ThrottledPeriods = throttled,
            ThrottledNanos = throttledTime,
            MemoryUsage = Value(_memoryCurrent, buffer),
            MemoryLimit = Value(_memoryMax, buffer),
            MemoryFailcnt = oom,
            MemoryStat = memoryStat,
            PidsCurrent = Value(_pidsCurrentV2, buffer),
            PidsLimit = pidsMax == ulong.MaxValue ? 0 : pidsMax,
            IoServiceBytes = IoStat(Text(_ioStat, buffer)),
        };
    }

    /// <summary>v2 <c>io.stat</c>: <c>MAJ:MIN rbytes=N wbytes=N rios=N …</c> per device, as Docker's <c>read</c>/<c>write</c> byte entries.</summary>
    internal static ImmutableArray<BlkioEntry> IoStat(ReadOnlySpan<byte> text)
    {
        var entries = ImmutableArray.CreateBuilder<BlkioEntry>();
        foreach (var range in text.Split((byte)'\n'))
        {
            var line = text[range];
            if (!CgroupText.Device(line, out ulong major, out ulong minor, out int consumed))
            {
                continue;
            }

            ulong read = 0, write = 0;
            var fields = line[consumed..];
            foreach (var fieldRange in fields.Split((byte)' '))
            {
                var field = fields[fieldRange];
                if (field.StartsWith("rbytes="u8))
                {
                    Utf8Parser.TryParse(field["rbytes="u8.Length..], out read, out _);
                }
                else if (field.StartsWith("wbytes="u8))
                {
                    Utf8Parser.TryParse(field["wbytes="u8.Length..], out write, out _);
                }
            }

            entries.Add(new BlkioEntry(major, minor, "read", read));
            entries.Add(new BlkioEntry(major, minor, "write", write));
        }

        return entries.DrainToImmutable();
    }
}
