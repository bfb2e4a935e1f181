using System.Collections.Immutable;
using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux.Cgroups;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>
/// Docker's checks of a container's resources at create, with Docker's messages (moby daemon/daemon_unix.go,
/// verifyPlatformContainerResources), and the values Docker fills in: swap defaults to twice the memory limit, a
/// pids limit of 0 or -1 is "unlimited" (null). What passes is what inspect shows and runc applies. A limit the host's
/// cgroups cannot enforce (<see cref="CgroupSupport"/>) is dropped with Docker's warning.
/// </summary>
public static class ResourceRules
{
    /// <summary>The smallest memory limit or reservation Docker accepts: 6 MiB (moby's linuxMinMemory).</summary>
    public const long MinimumMemoryBytes = 6 * 1024 * 1024;

    /// <summary>CFS period bounds, in microseconds: 1 ms to 1 s (the kernel's, sched-bwc.txt).</summary>
    public const long MinimumCfsMicros = 1_000;

    public const long MaximumCfsPeriodMicros = 1_000_000;

    private const long NanosPerCpu = 1_000_000_000;

    /// <summary>The blkio weight range (moby's verifyPlatformContainerResources).</summary>
    public const int MinimumBlkioWeight = 10;

    public const int MaximumBlkioWeight = 1000;

    /// <summary>The resources setrlimit(2) knows, as <c>--ulimit</c> names them (go-units ulimit.go).</summary>
    public static readonly ImmutableArray<string> UlimitNames =
        ["as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"];

    /// <summary><paramref name="resources"/> with Docker's defaults filled in, or an InvalidArgument error with Docker's message (the host's cgroups as they are).</summary>
    public static ContainerResources Validate(ContainerResources resources, int cpuCount) =>
        Check(resources, cpuCount, CgroupSupport.Host).Resources;

    /// <summary>
    /// Docker's checks at create: an InvalidArgument error with Docker's message, or the resources with Docker's
    /// defaults filled in and what <paramref name="support"/> lacks dropped, each with Docker's warning.
    /// </summary>
    public static (ContainerResources Resources, ImmutableArray<string> Warnings) Check(ContainerResources resources, int cpuCount, CgroupSupport support)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var (supported, warnings) = CheckPlatform(resources, cpuCount, support, update: false);
        return (supported with
        {
            // Docker's adaptContainerSettings: a memory limit without a swap limit allows as much swap again.
            MemorySwap = supported.Memory > 0 && supported.MemorySwap == 0 ? supported.Memory * 2 : supported.MemorySwap,
            PidsLimit = supported.PidsLimit is > 0 ? supported.PidsLimit : null,
        }, warnings);
    }

    /// <summary>moby's verifyPlatformContainerResources: errors, and the unsupported dropped with warnings.</summary>
    internal static (ContainerResources Resources, ImmutableArray<string> Warnings) CheckPlatform(ContainerResources resources, int cpuCount, CgroupSupport support, bool update)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(support);
        var warnings = ImmutableArray.CreateBuilder<string>();
        if (resources.Memory != 0 && resources.Memory < MinimumMemoryBytes)
        {
            throw Invalid("Minimum memory limit allowed is 6MB");
        }

        if (resources.Memory > 0 && resources.MemorySwap > 0 && resources.MemorySwap < resources.Memory)
        {
            throw Invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }

        if (resources.Memory == 0 && resources.MemorySwap > 0 && !update)
        {
            throw Invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        }

        if (resources.MemoryReservation > 0 && resources.MemoryReservation < MinimumMemoryBytes)
        {
            throw Invalid("Minimum memory reservation allowed is 6MB");
        }

        if (resources.Memory > 0 && resources.MemoryReservation > 0 && resources.Memory < resources.MemoryReservation)
        {
            throw Invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        }

        if (resources.NanoCpus > 0 && resources.CpuPeriod > 0)
        {
            throw Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }

        if (resources.NanoCpus > 0 && resources.CpuQuota > 0)
        {
            throw Invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }

        if (resources.NanoCpus < 0 || resources.NanoCpus > cpuCount * NanosPerCpu)
        {
            throw Invalid($"Range of CPUs is from 0.01 to {cpuCount}.00, as there are only {cpuCount} CPUs available");
        }

        if (resources.CpuPeriod != 0 && (resources.CpuPeriod < MinimumCfsMicros || resources.CpuPeriod > MaximumCfsPeriodMicros))
        {
            throw Invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }

        if (resources.CpuQuota > 0 && resources.CpuQuota < MinimumCfsMicros)
        {
            throw Invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }

        if (resources.CpuShares < 0)
        {
            throw Invalid($"invalid CPU shares {resources.CpuShares}: give a positive weight (Docker's default is 1024)");
        }

        CheckCpuset(resources.CpusetCpus, "cpus", cpuCount);
        CheckCpuset(resources.CpusetMems, "mems", null);
        resources = CheckSwappiness(resources, support, warnings);
        resources = CheckBlkio(resources, support, warnings);
        CheckUlimits(resources.Ulimits);
        return (resources, warnings.ToImmutable());
    }

    /// <summary>-1 is "not set" (moby's fixMemorySwappiness); cgroup v2 has no swappiness.</summary>
    private static ContainerResources CheckSwappiness(ContainerResources resources, CgroupSupport support, ImmutableArray<string>.Builder warnings)
    {
        if (resources.MemorySwappiness == -1)
        {
            resources = resources with { MemorySwappiness = null };
        }

        if (resources.MemorySwappiness is not null && !support.MemorySwappiness)
        {
            warnings.Add("Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.");
            return resources with { MemorySwappiness = null };
        }

        if (resources.MemorySwappiness is { } swappiness && swappiness is < 0 or > 100)
        {
            throw Invalid($"Invalid value: {swappiness}, valid memory swappiness range is 0-100");
        }

        return resources;
    }

    /// <summary>
    /// The blkio limits; a weight out of range is refused before the host's support is asked (Docker asks first and
    /// drops it silently where the host cannot weigh I/O; a value no host takes is an error everywhere here).
    /// </summary>
    private static ContainerResources CheckBlkio(ContainerResources resources, CgroupSupport support, ImmutableArray<string>.Builder warnings)
    {
        if (resources.BlkioWeight > 0 && resources.BlkioWeight is < MinimumBlkioWeight or > MaximumBlkioWeight)
        {
            throw Invalid($"Range of blkio weight is from {MinimumBlkioWeight} to {MaximumBlkioWeight}");
        }

        if (resources.BlkioWeight > 0 && !support.BlkioWeight)
        {
            warnings.Add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            resources = resources with { BlkioWeight = 0 };
        }

        if (!resources.BlkioWeightDevice.IsDefaultOrEmpty && !support.BlkioWeightDevice)
        {
            warnings.Add("Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.");
            resources = resources with { BlkioWeightDevice = [] };
        }

        if (!resources.BlkioDeviceReadBps.IsDefaultOrEmpty && !support.BlkioReadBps)
        {
            warnings.Add("Your kernel does not support BPS Block I/O read limit or the cgroup is not mounted. Block I/O BPS read limit discarded.");
            resources = resources with { BlkioDeviceReadBps = [] };
        }

        if (!resources.BlkioDeviceWriteBps.IsDefaultOrEmpty && !support.BlkioWriteBps)
        {
            warnings.Add("Your kernel does not support BPS Block I/O write limit or the cgroup is not mounted. Block I/O BPS write limit discarded.");
            resources = resources with { BlkioDeviceWriteBps = [] };
        }

        if (!resources.BlkioDeviceReadIOps.IsDefaultOrEmpty && !support.BlkioReadIOps)
        {
            warnings.Add("Your kernel does not support IOPS Block read limit or the cgroup is not mounted. Block I/O IOPS read limit discarded.");
            resources = resources with { BlkioDeviceReadIOps = [] };
        }

        if (!resources.BlkioDeviceWriteIOps.IsDefaultOrEmpty && !support.BlkioWriteIOps)
        {
            warnings.Add("Your kernel does not support IOPS Block write limit or the cgroup is not mounted. Block I/O IOPS write limit discarded.");
            resources = resources with { BlkioDeviceWriteIOps = [] };
        }

        foreach (var device in resources.BlkioWeightDevice.Select(d => d.Path)
            .Concat(new[] { resources.BlkioDeviceReadBps, resources.BlkioDeviceWriteBps, resources.BlkioDeviceReadIOps, resources.BlkioDeviceWriteIOps }
                .SelectMany(d => d.IsDefault ? [] : d.Select(t => t.Path))))
        {
            _ = BlockDevice.NumbersOf(device);
        }

        return resources;
    }

    private static void CheckUlimits(ImmutableArray<Ulimit> ulimits)
    {
        foreach (var ulimit in ulimits.IsDefault ? [] : ulimits)
        {
            if (!UlimitNames.Contains(ulimit.Name))
            {
                throw Invalid($"invalid ulimit type: {ulimit.Name}; use one of {string.Join(", ", UlimitNames)}");
            }

            if (ulimit.Soft > ulimit.Hard)
            {
                throw Invalid($"ulimit soft limit must be less than or equal to hard limit: {ulimit.Soft} > {ulimit.Hard}");
            }
        }
    }

    /// <summary>The numbers of a cpuset list (<c>0-2,4</c>); null when it is not one (Docker's parsers.ParseUintList).</summary>
    public static SortedSet<int>? ParseList(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var numbers = new SortedSet<int>();
        foreach (string part in list.Split(','))
        {
            string[] range = part.Split('-');
            if (range.Length is < 1 or > 2 || !range.All(IsNumber))
            {
                return null;
            }

            int first = int.Parse(range[0], CultureInfo.InvariantCulture);
            int last = range.Length == 2 ? int.Parse(range[1], CultureInfo.InvariantCulture) : first;
            if (last < first)
            {
                return null;
            }

            for (int n = first; n <= last; n++)
            {
                numbers.Add(n);
            }
        }

        return numbers;
    }

    private static bool IsNumber(string text) =>
        text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit);

    private static void CheckCpuset(string list, string what, int? available)
    {
        if (list.Length == 0)
        {
            return;
        }

        var numbers = ParseList(list) ?? throw Invalid($"Invalid value {list} for cpuset {what}: invalid format: {list}");
        if (available is { } count && numbers.Max >= count)
        {
            throw Invalid($"Requested CPUs are not available - requested {list}, available: {(count == 1 ? "0" : $"0-{count - 1}")}");
        }
    }

    private static BerthException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
}
