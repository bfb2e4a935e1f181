using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Linux.Cgroups;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>
/// Docker's <c>docker update</c> rules (moby daemon/update.go, container.UpdateContainer): the request checked as at
/// create but without the create-only rules, then merged into the container's resources field by field (a zero field
/// keeps the old value), with the conflicts moby reports as 409 "Cannot update container ID: …".
/// </summary>
public static class ResourceUpdate
{
    /// <summary>The checked request (what runc is given for a running container), the merged resources and the warnings.</summary>
    public static (ContainerResources Request, ContainerResources Merged, ImmutableArray<string> Warnings) Merge(
        string containerId, ContainerResources current, ContainerResources request, int cpuCount, CgroupSupport support)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(request);
        var (checkedRequest, warnings) = ResourceRules.CheckPlatform(request with { Ulimits = [] }, cpuCount, support, update: true);
        if (checkedRequest.NanoCpus > 0 && current.CpuPeriod > 0)
        {
            throw Conflict(containerId, "Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set");
        }

        if (checkedRequest.NanoCpus > 0 && current.CpuQuota > 0)
        {
            throw Conflict(containerId, "Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set");
        }

        if (checkedRequest.CpuPeriod > 0 && current.NanoCpus > 0)
        {
            throw Conflict(containerId, "Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
        }

        if (checkedRequest.CpuQuota > 0 && current.NanoCpus > 0)
        {
            throw Conflict(containerId, "Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
        }

        if (checkedRequest.Memory != 0 && checkedRequest.Memory > current.MemorySwap && checkedRequest.MemorySwap == 0)
        {
            throw Conflict(containerId, "Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
        }

        var merged = current with
        {
            BlkioWeight = checkedRequest.BlkioWeight != 0 ? checkedRequest.BlkioWeight : current.BlkioWeight,
            CpuShares = checkedRequest.CpuShares != 0 ? checkedRequest.CpuShares : current.CpuShares,
            NanoCpus = checkedRequest.NanoCpus != 0 ? checkedRequest.NanoCpus : current.NanoCpus,
            CpuPeriod = checkedRequest.CpuPeriod != 0 ? checkedRequest.CpuPeriod : current.CpuPeriod,
            CpuQuota = checkedRequest.CpuQuota != 0 ? checkedRequest.CpuQuota : current.CpuQuota,
            CpusetCpus = checkedRequest.CpusetCpus.Length > 0 ? checkedRequest.CpusetCpus : current.CpusetCpus,
            CpusetMems = checkedRequest.CpusetMems.Length > 0 ? checkedRequest.CpusetMems : current.CpusetMems,
            Memory = checkedRequest.Memory != 0 ? checkedRequest.Memory : current.Memory,
            MemorySwap = checkedRequest.MemorySwap != 0 ? checkedRequest.MemorySwap : current.MemorySwap,
            MemoryReservation = checkedRequest.MemoryReservation != 0 ? checkedRequest.MemoryReservation : current.MemoryReservation,
            PidsLimit = checkedRequest.PidsLimit is null ? current.PidsLimit : checkedRequest.PidsLimit > 0 ? checkedRequest.PidsLimit : null,
        };
        return (checkedRequest, merged, warnings);
    }

    /// <summary>The restart policy after an update; a policy other than "no" for an <c>--rm</c> container is moby's 409.</summary>
    public static RestartPolicy MergeRestartPolicy(string containerId, RestartPolicy current, RestartPolicy? request, bool autoRemove)
    {
        if (request is null || request.Name.Length == 0)
        {
            return current;
        }

        if (autoRemove && !request.IsNone)
        {
            throw Conflict(containerId, "Restart policy cannot be updated because AutoRemove is enabled for the container");
        }

        return request;
    }

    public static BerthException CannotUpdate(string containerId, ErrorKind kind, string reason) =>
        new(kind, $"Cannot update container {containerId}: {reason}");

    private static BerthException Conflict(string containerId, string reason) => CannotUpdate(containerId, ErrorKind.Conflict, reason);
}
