using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>The image config's <c>rootfs</c>: the uncompressed layer digests, bottom first.</summary>
public sealed record RootFs
{
    public const string LayersType = "layers";

    [JsonPropertyName("type")]
    public string Type { get; init; } = LayersType;

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<string> DiffIds { get; init; } = [];
}
