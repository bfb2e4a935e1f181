using System.Collections.Immutable;
using Berth.Linux.Cgroups;
using Berth.Linux.Links;

namespace Berth.Runtime.Engine;

/// <summary>
/// One <c>docker stats</c> sample of a container: its cgroup's counters, the host's CPU time read beside them (the
/// CLI's CPU % is the container's delta over the host's), and its interfaces' counters. <see cref="Cgroup"/> null is
/// Docker's zero-valued sample of a container that does not run.
/// </summary>
public sealed record ContainerStatsSample(
    string Id,
    string Name,
    DateTimeOffset Read,
    CgroupSample? Cgroup,
    ulong SystemCpuNanos,
    uint OnlineCpus,
    ulong MemoryLimit,
    ImmutableArray<LinkStatistics> Networks)
{
    public static ContainerStatsSample Stopped(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ContainerStatsSample(record.Id.Value, record.Name, default, null, 0, 0, 0, []);
    }
}
