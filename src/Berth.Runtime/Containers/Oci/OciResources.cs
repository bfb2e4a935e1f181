namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.resources</c>: the cgroup limits runc writes into the container's cgroup.</summary>
public sealed record OciResources(OciMemory? Memory, OciCpu? Cpu, OciPids? Pids)
{
    [System.Text.Json.Serialization.JsonPropertyName("blockIO")]
    public OciBlockIo? BlockIo { get; init; }
}
