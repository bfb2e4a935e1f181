using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>An OCI descriptor as Docker writes it (lower-case keys).</summary>
public sealed class DistributionDescriptor
{
    [JsonPropertyName("mediaType")]
    public string MediaType { get; set; } = "";

    [JsonPropertyName("digest")]
    public string Digest { get; set; } = "";

    [JsonPropertyName("size")]
    public long Size { get; set; }
}
