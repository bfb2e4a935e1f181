using System.Collections.Immutable;
using Berth.Core.Containers;
using Berth.Linux.Cgroups;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;

namespace Berth.Runtime.Engine;

/// <summary>
/// The sampler behind one <c>docker stats</c> stream: it keeps the container's cgroup files open
/// (<see cref="CgroupStatsReader"/>), /proc/stat (<see cref="HostCpu"/>) and a netlink socket opened inside the
/// container's network namespace (on the namespace runner's thread, usable from any thread after), so a sample is a
/// few preads and one link dump: no process, no file opened. It follows the container across restarts (a new pid opens
/// them again) and gives Docker's zero sample while it does not run. Not for concurrent use.
/// </summary>
public sealed class ContainerStatsSampler(ContainerId id, ContainerRecords records, ContainerCgroupCache cgroups, TimeProvider? time = null) : IContainerStatsSampler
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly HostCpu _hostCpu = new();
    private int _pid;
    private CgroupStatsReader? _reader;
    private NetworkNamespace? _netns;

    public ContainerStatsSample Sample()
    {
        var record = records.Get(id);
        if (record.Status != ContainerStatus.Running)
        {
            Close();
            return ContainerStatsSample.Stopped(record);
        }

        if (record.Pid != _pid || _reader is null)
        {
            Close();
            _pid = record.Pid;
            if (cgroups.Of(record) is not { } cgroup)
            {
                return ContainerStatsSample.Stopped(record);
            }

            _reader = CgroupStatsReader.Open(cgroup);
            _netns = OpenNetwork(record);
        }

        var read = _time.GetUtcNow();
        if (_reader.Read() is not { } sample)
        {
            return ContainerStatsSample.Stopped(record);
        }

        var (system, cpus) = _hostCpu.Read();
        ulong machine = HostMemory.TotalBytes;
        ulong limit = machine > 0 && sample.MemoryLimit > machine ? machine : sample.MemoryLimit;
        return new ContainerStatsSample(record.Id.Value, record.Name, read, sample, system, cpus, limit, Networks());
    }

    public void Dispose()
    {
        Close();
        _hostCpu.Dispose();
    }

    /// <summary>The interfaces Docker reports: the container's own (not lo); none for <c>--network host</c>, whose interfaces are the host's.</summary>
    private ImmutableArray<LinkStatistics> Networks()
    {
        if (_netns is null)
        {
            return [];
        }

        try
        {
            return [.. _netns.Links.Statistics().Where(l => !l.Loopback)];
        }
        catch (Berth.Core.Errors.BerthException)
        {
            // The namespace went with the container between the record's read and the dump.
            return [];
        }
    }

    private NetworkNamespace? OpenNetwork(ContainerRecord record)
    {
        if (record.Spec.NetworkMode.IsHost)
        {
            return null;
        }

        try
        {
            return NetworkNamespace.OpenPath($"/proc/{record.Pid}/ns/net");
        }
        catch (Exception e) when (e is Berth.Core.Errors.BerthException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Close()
    {
        _reader?.Dispose();
        _reader = null;
        _netns?.Dispose();
        _netns = null;
        _pid = 0;
    }
}
