using System.Globalization;
using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>
/// Docker's checks of a container's resources at create, with Docker's messages (moby daemon/daemon_unix.go,
/// verifyPlatformContainerResources), and the values Docker fills in: swap defaults to twice the memory limit, a
/// pids limit of 0 or -1 is "unlimited" (null). What passes is what inspect shows and runc applies.
/// </summary>
public static class ResourceRules
{
    /// <summary>The smallest memory limit or reservation Docker accepts: 6 MiB (moby's linuxMinMemory).</summary>
    public const long MinimumMemoryBytes = 6 * 1024 * 1024;

    /// <summary>CFS period bounds, in microseconds: 1 ms to 1 s (the kernel's, sched-bwc.txt).</summary>
    public const long MinimumCfsMicros = 1_000;

    public const long MaximumCfsPeriodMicros = 1_000_000;

    private const long NanosPerCpu = 1_000_000_000;

    /// <summary><paramref name="resources"/> with Docker's defaults filled in, or an InvalidArgument error with Docker's message.</summary>
    public static ContainerResources Validate(ContainerResources resources, int cpuCount)
    {
        ArgumentNullException.ThrowIfNull(resources);
        if (resources.Memory != 0 && resources.Memory < MinimumMemoryBytes)
        {
            throw Invalid("Minimum memory limit allowed is 6MB");
        }

        if (resources.Memory > 0 && resources.MemorySwap > 0 && resources.MemorySwap < resources.Memory)
        {
            throw Invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }

        if (resources.Memory == 0 && resources.MemorySwap > 0)
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

        return resources with
        {
            // Docker's adaptContainerSettings: a memory limit without a swap limit allows as much swap again.
            MemorySwap = resources.Memory > 0 && resources.MemorySwap == 0 ? resources.Memory * 2 : resources.MemorySwap,
            PidsLimit = resources.PidsLimit is > 0 ? resources.PidsLimit : null,
        };
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
