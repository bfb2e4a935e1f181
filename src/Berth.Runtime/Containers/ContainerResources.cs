using System.Collections.Immutable;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Containers;

/// <summary>
/// A container's cgroup limits, Docker's <c>HostConfig</c> resource fields with Docker's names and units (bytes,
/// billionths of a CPU, microseconds). Zero (null for <see cref="PidsLimit"/> and <see cref="OomKillDisable"/>)
/// means "not set", as in Docker's API; <see cref="MemorySwap"/> -1 is unlimited swap.
/// </summary>
public sealed record ContainerResources
{
    public static readonly ContainerResources None = new();

    /// <summary><c>--memory</c>: the hard limit in bytes.</summary>
    public long Memory { get; init; }

    /// <summary><c>--memory-swap</c>: memory plus swap in bytes; -1 unlimited; 0 with a memory limit becomes twice it at create (Docker's rule).</summary>
    public long MemorySwap { get; init; }

    /// <summary><c>--memory-reservation</c>: the soft limit in bytes.</summary>
    public long MemoryReservation { get; init; }

    /// <summary><c>--cpus</c> in billionths of a CPU; becomes a CFS quota over a 100 ms period.</summary>
    public long NanoCpus { get; init; }

    /// <summary><c>--cpu-shares</c>: the relative weight (cgroup v1 shares; runc converts them to cgroup v2's weight).</summary>
    public long CpuShares { get; init; }

    /// <summary><c>--cpu-period</c> in microseconds.</summary>
    public long CpuPeriod { get; init; }

    /// <summary><c>--cpu-quota</c> in microseconds per period.</summary>
    public long CpuQuota { get; init; }

    /// <summary><c>--cpuset-cpus</c>: a list such as <c>0-1,3</c>; empty is every CPU.</summary>
    public string CpusetCpus { get; init; } = "";

    /// <summary><c>--cpuset-mems</c>: memory nodes as a list; empty is every node.</summary>
    public string CpusetMems { get; init; } = "";

    /// <summary><c>--pids-limit</c>: the most processes and threads; null (or 0 or -1 as sent) is unlimited.</summary>
    public long? PidsLimit { get; init; }

    /// <summary><c>--oom-kill-disable</c>: tasks over the limit wait instead of being killed; null is not set.</summary>
    public bool? OomKillDisable { get; init; }

    /// <summary><c>--memory-swappiness</c> 0–100 (cgroup v1 only); null is not set (the host's default).</summary>
    public long? MemorySwappiness { get; init; }

    /// <summary><c>--blkio-weight</c> 10–1000; 0 is not set.</summary>
    public ushort BlkioWeight { get; init; }

    /// <summary><c>--blkio-weight-device</c>.</summary>
    public ImmutableArray<WeightDevice> BlkioWeightDevice { get; init; } = [];

    /// <summary><c>--device-read-bps</c>: bytes per second read from a device.</summary>
    public ImmutableArray<ThrottleDevice> BlkioDeviceReadBps { get; init; } = [];

    /// <summary><c>--device-write-bps</c>.</summary>
    public ImmutableArray<ThrottleDevice> BlkioDeviceWriteBps { get; init; } = [];

    /// <summary><c>--device-read-iops</c>: read operations per second.</summary>
    public ImmutableArray<ThrottleDevice> BlkioDeviceReadIOps { get; init; } = [];

    /// <summary><c>--device-write-iops</c>.</summary>
    public ImmutableArray<ThrottleDevice> BlkioDeviceWriteIOps { get; init; } = [];

    /// <summary><c>--ulimit</c>: process rlimits (not a cgroup limit, but Docker keeps them among the resources); replace Docker's defaults by name.</summary>
    public ImmutableArray<Ulimit> Ulimits { get; init; } = [];

    /// <summary>The CFS period <c>--cpus</c> is a quota over: 100 ms, Docker's (moby daemon/oci_linux.go).</summary>
    public const long NanoCpusPeriodMicros = 100_000;

    private const long NanosPerCpu = 1_000_000_000;

    /// <summary>Whether no cgroup limit is set (an unset record gives the OCI spec no <c>linux.resources</c>).</summary>
    public bool IsEmpty => ToOci() is null;

    /// <summary>The CFS quota and period the CPU fields make: <see cref="NanoCpus"/> over a 100 ms period, else the explicit pair.</summary>
    public (long Quota, long Period) CfsQuota() =>
        NanoCpus > 0 ? (NanoCpus * NanoCpusPeriodMicros / NanosPerCpu, NanoCpusPeriodMicros) : (CpuQuota, CpuPeriod);

    /// <summary>runtime-spec <c>linux.resources</c> for these limits, as Docker gives runc; null when nothing is set.</summary>
    public OciResources? ToOci()
    {
        var memory = new OciMemory
        {
            Limit = Memory != 0 ? Memory : null,
            Reservation = MemoryReservation != 0 ? MemoryReservation : null,
            Swap = MemorySwap != 0 ? MemorySwap : null,
            DisableOomKiller = OomKillDisable,
            Swappiness = MemorySwappiness is { } swappiness and >= 0 ? (ulong)swappiness : null,
        };
        var (quota, period) = CfsQuota();
        var cpu = new OciCpu
        {
            Shares = CpuShares > 0 ? (ulong)CpuShares : null,
            Quota = quota != 0 ? quota : null,
            Period = period > 0 ? (ulong)period : null,
            Cpus = CpusetCpus.Length > 0 ? CpusetCpus : null,
            Mems = CpusetMems.Length > 0 ? CpusetMems : null,
        };
        var blockIo = BlockIo();
        var resources = new OciResources(
            memory == new OciMemory() ? null : memory,
            cpu == new OciCpu() ? null : cpu,
            PidsLimit is { } pids and > 0 ? new OciPids(pids) : null)
        {
            BlockIo = blockIo,
        };
        return resources is { Memory: null, Cpu: null, Pids: null, BlockIo: null } ? null : resources;
    }

    /// <summary>
    /// What <c>runc update</c> gets for a <c>docker update</c> that asked for these values: only what was set (an
    /// absent field keeps its value in the cgroup), and an unlimited pids limit as -1 (runc's "max"; 0 changes nothing).
    /// </summary>
    public OciResources ToOciUpdate()
    {
        var resources = ToOci() ?? new OciResources(null, null, null);
        return PidsLimit is null or > 0 ? resources : resources with { Pids = new OciPids(-1) };
    }

    /// <summary>runtime-spec <c>linux.resources.blockIO</c>, device paths turned into their major:minor numbers.</summary>
    private OciBlockIo? BlockIo()
    {
        if (BlkioWeight == 0 && BlkioWeightDevice.IsDefaultOrEmpty && BlkioDeviceReadBps.IsDefaultOrEmpty && BlkioDeviceWriteBps.IsDefaultOrEmpty
            && BlkioDeviceReadIOps.IsDefaultOrEmpty && BlkioDeviceWriteIOps.IsDefaultOrEmpty)
        {
            return null;
        }

        return new OciBlockIo
        {
            Weight = BlkioWeight != 0 ? BlkioWeight : null,
            WeightDevice = Devices(BlkioWeightDevice, d => d.Path, (d, major, minor) => new OciWeightDevice(major, minor, d.Weight)),
            ThrottleReadBpsDevice = Throttles(BlkioDeviceReadBps),
            ThrottleWriteBpsDevice = Throttles(BlkioDeviceWriteBps),
            ThrottleReadIopsDevice = Throttles(BlkioDeviceReadIOps),
            ThrottleWriteIopsDevice = Throttles(BlkioDeviceWriteIOps),
        };
    }

    private static ImmutableArray<OciThrottleDevice>? Throttles(ImmutableArray<ThrottleDevice> devices) =>
        Devices(devices, d => d.Path, (d, major, minor) => new OciThrottleDevice(major, minor, d.Rate));

    private static ImmutableArray<TOci>? Devices<T, TOci>(ImmutableArray<T> devices, Func<T, string> path, Func<T, long, long, TOci> make)
    {
        if (devices.IsDefaultOrEmpty)
        {
            return null;
        }

        return [.. devices.Select(d =>
        {
            var (major, minor) = Berth.Linux.Cgroups.BlockDevice.NumbersOf(path(d));
            return make(d, major, minor);
        })];
    }
}
