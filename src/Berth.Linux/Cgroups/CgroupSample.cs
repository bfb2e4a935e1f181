using System.Collections.Immutable;

namespace Berth.Linux.Cgroups;

/// <summary>
/// One reading of a container's cgroup counters, in Docker's units (nanoseconds, bytes), from v1's or v2's files
/// (<see cref="CgroupStatsReader"/>). <see cref="MemoryLimit"/> is what the kernel says: "unlimited" reads as a huge
/// number, which callers clamp to the host's memory as Docker does.
/// </summary>
public sealed record CgroupSample
{
    public ulong CpuTotalNanos { get; init; }

    public ulong CpuUserNanos { get; init; }

    public ulong CpuSystemNanos { get; init; }

    public ulong ThrottlingPeriods { get; init; }

    public ulong ThrottledPeriods { get; init; }

    public ulong ThrottledNanos { get; init; }

    public ulong MemoryUsage { get; init; }

    /// <summary>v1 <c>memory.max_usage_in_bytes</c>; v2 has none (0, as Docker).</summary>
    public ulong MemoryMaxUsage { get; init; }

    public ulong MemoryLimit { get; init; }

    /// <summary>v1 <c>memory.failcnt</c>; v2 <c>memory.events</c> <c>oom</c> (Docker's choice).</summary>
    public ulong MemoryFailcnt { get; init; }

    /// <summary><c>memory.stat</c>, key by key in the kernel's order.</summary>
    public ImmutableArray<KeyValuePair<string, ulong>> MemoryStat { get; init; } = [];

    public ulong PidsCurrent { get; init; }

    /// <summary><c>pids.max</c>; 0 when unlimited.</summary>
    public ulong PidsLimit { get; init; }

    /// <summary>Bytes per device and op (v1 <c>blkio.throttle.io_service_bytes_recursive</c>, v2 <c>io.stat</c> rbytes/wbytes).</summary>
    public ImmutableArray<BlkioEntry> IoServiceBytes { get; init; } = [];

    /// <summary>Operations per device and op (v1 only, as Docker; empty on v2).</summary>
    public ImmutableArray<BlkioEntry> IoServiced { get; init; } = [];
}
