using System.Collections.Immutable;

namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.resources.blockIO</c> (cgroup v1 blkio, v2 io).</summary>
public sealed record OciBlockIo
{
    public ushort? Weight { get; init; }

    public ImmutableArray<OciWeightDevice>? WeightDevice { get; init; }

    public ImmutableArray<OciThrottleDevice>? ThrottleReadBpsDevice { get; init; }

    public ImmutableArray<OciThrottleDevice>? ThrottleWriteBpsDevice { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("throttleReadIOPSDevice")]
    public ImmutableArray<OciThrottleDevice>? ThrottleReadIopsDevice { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("throttleWriteIOPSDevice")]
    public ImmutableArray<OciThrottleDevice>? ThrottleWriteIopsDevice { get; init; }
}
