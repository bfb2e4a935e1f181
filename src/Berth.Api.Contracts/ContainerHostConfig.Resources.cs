using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

#pragma warning disable CA2227 // a wire contract, filled by the serializer

/// <summary>
/// The resource fields of Docker's <c>HostConfig</c> beyond memory, CPU and pids (also the body of
/// <c>POST /containers/{id}/update</c>, Docker's <c>UpdateConfig</c>, read as a HostConfig). Lists are left out of
/// <c>docker ps</c> (null) and shown as <c>[]</c> by inspect, as Docker does.
/// </summary>
public sealed partial class ContainerHostConfig
{
    /// <summary><c>--memory-swappiness</c> 0–100; null when not set (-1 in a request means the same).</summary>
    public long? MemorySwappiness { get; set; }

    /// <summary><c>--kernel-memory</c>: read from requests only (ignored from API 1.42, as Docker 28 does); never shown.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? KernelMemory { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ushort? BlkioWeight { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<WeightDeviceContract>? BlkioWeightDevice { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ThrottleDeviceContract>? BlkioDeviceReadBps { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ThrottleDeviceContract>? BlkioDeviceWriteBps { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ThrottleDeviceContract>? BlkioDeviceReadIOps { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ThrottleDeviceContract>? BlkioDeviceWriteIOps { get; set; }

    /// <summary><c>--ulimit</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<UlimitContract>? Ulimits { get; set; }

    /// <summary><c>--shm-size</c> in bytes; inspect shows Docker's 64 MiB default when none was given.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ShmSize { get; set; }
}
