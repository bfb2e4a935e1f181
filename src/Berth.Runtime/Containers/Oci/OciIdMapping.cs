using System.Text.Json.Serialization;

namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.uidMappings[]</c> / <c>gidMappings[]</c>: one line of the user namespace's id map.</summary>
public sealed record OciIdMapping(
    [property: JsonPropertyName("containerID")] uint ContainerId,
    [property: JsonPropertyName("hostID")] uint HostId,
    [property: JsonPropertyName("size")] uint Size);
