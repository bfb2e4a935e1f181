using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Api.Versioning;
using Berth.Runtime.Containers;

namespace Berth.Api.Containers;

/// <summary>Docker's HostConfig resource fields ↔ <see cref="ContainerResources"/>: read from a create or update request, shown by inspect.</summary>
internal static class ContainerResourceView
{
    /// <summary>The API version from which Docker ignores <c>KernelMemory</c> (moby container_routes.go).</summary>
    private static readonly ApiVersion KernelMemoryIgnored = new(1, 42);

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
        MemorySwappiness = host.MemorySwappiness,
        BlkioWeight = host.BlkioWeight ?? 0,
        BlkioWeightDevice = [.. (host.BlkioWeightDevice ?? []).Select(d => new WeightDevice(d.Path, d.Weight))],
        BlkioDeviceReadBps = Throttles(host.BlkioDeviceReadBps),
        BlkioDeviceWriteBps = Throttles(host.BlkioDeviceWriteBps),
        BlkioDeviceReadIOps = Throttles(host.BlkioDeviceReadIOps),
        BlkioDeviceWriteIOps = Throttles(host.BlkioDeviceWriteIOps),
        Ulimits = [.. (host.Ulimits ?? []).Select(u => new Ulimit(u.Name, u.Soft, u.Hard))],
    };

    /// <summary>
    /// Docker 28's handling of <c>--kernel-memory</c>: ignored from API 1.42; below, dropped with the warning a host
    /// without kernel memory accounting gets (cgroup v2, and v1 kernels since 5.4 deprecate it; Berth never sets it).
    /// </summary>
    public static ImmutableArray<string> KernelMemoryWarnings(ContainerHostConfig? host, ApiVersion version) =>
        host?.KernelMemory is > 0 && version < KernelMemoryIgnored
            ? ["Your kernel does not support kernel memory limit capabilities or the cgroup is not mounted. Limitation discarded."]
            : [];

    /// <summary>Writes <paramref name="resources"/> into inspect's HostConfig with Docker's names and zero values.</summary>
    public static void Show(ContainerResources resources, long shmSize, ContainerHostConfig host)
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
        host.MemorySwappiness = resources.MemorySwappiness;
        host.BlkioWeight = resources.BlkioWeight;
        host.BlkioWeightDevice = [.. resources.BlkioWeightDevice.Select(d => new WeightDeviceContract { Path = d.Path, Weight = d.Weight })];
        host.BlkioDeviceReadBps = Contracts(resources.BlkioDeviceReadBps);
        host.BlkioDeviceWriteBps = Contracts(resources.BlkioDeviceWriteBps);
        host.BlkioDeviceReadIOps = Contracts(resources.BlkioDeviceReadIOps);
        host.BlkioDeviceWriteIOps = Contracts(resources.BlkioDeviceWriteIOps);
        host.Ulimits = [.. resources.Ulimits.Select(u => new UlimitContract { Name = u.Name, Soft = u.Soft, Hard = u.Hard })];
        host.ShmSize = shmSize > 0 ? shmSize : OciSpecBuilder.DefaultShmSize;
    }

    private static ImmutableArray<ThrottleDevice> Throttles(List<ThrottleDeviceContract>? devices) =>
        [.. (devices ?? []).Select(d => new ThrottleDevice(d.Path, d.Rate))];

    private static List<ThrottleDeviceContract> Contracts(ImmutableArray<ThrottleDevice> devices) =>
        [.. devices.Select(d => new ThrottleDeviceContract { Path = d.Path, Rate = d.Rate })];
}
