namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.resources</c>: the cgroup limits runc writes into the container's cgroup.</summary>
public sealed record OciResources(OciMemory? Memory, OciCpu? Cpu, OciPids? Pids)
{
    /// <summary>Device cgroup rules after runc's defaults (<c>--device</c>, <c>--device-cgroup-rule</c>); null is runc's defaults only.</summary>
    public System.Collections.Immutable.ImmutableArray<OciDeviceCgroup>? Devices { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("blockIO")]
    public OciBlockIo? BlockIo { get; init; }
}
