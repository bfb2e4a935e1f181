using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>An OCI image manifest or a Docker schema2 manifest (same shape).</summary>
public sealed record OciManifest
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; }

    [JsonPropertyName("config")]
    public OciDescriptor Config { get; init; } = new();

    [JsonPropertyName("layers")]
    public IReadOnlyList<OciDescriptor> Layers { get; init; } = [];
}
