using System.Text.Json.Serialization;

namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>linux.resources.memory</c> (bytes; <see cref="Swap"/> is memory plus swap, -1 unlimited).</summary>
public sealed record OciMemory
{
    public long? Limit { get; init; }

    public long? Reservation { get; init; }

    public long? Swap { get; init; }

    public ulong? Swappiness { get; init; }

    [JsonPropertyName("disableOOMKiller")]
    public bool? DisableOomKiller { get; init; }
}
