using Berth.Api.Contracts;
using Berth.Runtime.Containers;

namespace Berth.Api.Containers;

/// <summary>Docker's HostConfig resource fields ↔ <see cref="ContainerResources"/>: read from a create request, shown by inspect.</summary>
internal static class ContainerResourceView
{
    /// <summary>The limits a create request asks for; absent fields are Docker's zero values (checked later by the engine's ResourceRules).</summary>
    public static ContainerResources FromRequest(ContainerHostConfig? host) => host is null ? ContainerResources.None : new ContainerResources
    {
        Memory = host.Memory ?? 0,
        MemorySwap = host.MemorySwap ?? 0,
        MemoryReservation = host.MemoryReservation ?? 0,
        NanoCpus = host.NanoCpus ?? 0,
        CpuShares = host.CpuShares ?? 0,
        CpuPeriod = host.CpuPeriod ?? 0,
        CpuQuota = host.CpuQuota ?? 0,
        CpusetCpus = host.CpusetCpus ?? "",
        CpusetMems = host.CpusetMems ?? "",
        PidsLimit = host.PidsLimit,
        OomKillDisable = host.OomKillDisable,
    };

    /// <summary>Writes <paramref name="resources"/> into inspect's HostConfig with Docker's names and zero values.</summary>
    public static void Show(ContainerResources resources, ContainerHostConfig host)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(host);
        host.Memory = resources.Memory;
        host.MemorySwap = resources.MemorySwap;
        host.MemoryReservation = resources.MemoryReservation;
        host.NanoCpus = resources.NanoCpus;
        host.CpuShares = resources.CpuShares;
        host.CpuPeriod = resources.CpuPeriod;
        host.CpuQuota = resources.CpuQuota;
        host.CpusetCpus = resources.CpusetCpus;
        host.CpusetMems = resources.CpusetMems;
        host.PidsLimit = resources.PidsLimit;
        host.OomKillDisable = resources.OomKillDisable;
    }
}
