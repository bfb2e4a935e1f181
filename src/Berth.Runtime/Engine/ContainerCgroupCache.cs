using System.Collections.Immutable;
using Berth.Core.Containers;
using Berth.Linux.Cgroups;

namespace Berth.Runtime.Engine;

/// <summary>
/// The cgroup of each running container, found from its init's /proc/PID/cgroup when it starts (or when berthd adopts
/// it) and kept until its next start or its removal: at the exit the process is gone, but its cgroup, where the kernel
/// counted OOM kills, stays until the runtime deletes the container.
/// </summary>
public sealed class ContainerCgroupCache(Func<int, ContainerCgroup?>? resolve = null)
{
    private readonly Func<int, ContainerCgroup?> _resolve = resolve ?? ContainerCgroup.OfProcess;
    private ImmutableDictionary<ContainerId, ContainerCgroup> _cgroups = ImmutableDictionary<ContainerId, ContainerCgroup>.Empty;

    /// <summary>Finds and keeps the cgroup of the container whose init is <paramref name="pid"/>; null when that process is gone.</summary>
    public ContainerCgroup? Track(ContainerId id, int pid)
    {
        if (pid <= 0 || _resolve(pid) is not { } cgroup)
        {
            ImmutableInterlocked.TryRemove(ref _cgroups, id, out _);
            return null;
        }

        ImmutableInterlocked.AddOrUpdate(ref _cgroups, id, cgroup, (_, _) => cgroup);
        return cgroup;
    }

    /// <summary>The container's cgroup: the one kept, else found from the running record's pid.</summary>
    public ContainerCgroup? Of(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _cgroups.GetValueOrDefault(record.Id)
            ?? (record.Status == ContainerStatus.Running ? Track(record.Id, record.Pid) : null);
    }

    /// <summary>Whether the OOM killer killed a process of the container's last run (its cgroup's count; false when unknown).</summary>
    public bool OomKilled(ContainerId id) => _cgroups.GetValueOrDefault(id)?.OomKills() > 0;

    public void Forget(ContainerId id) => ImmutableInterlocked.TryRemove(ref _cgroups, id, out _);
}
