using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A platform an image is offered for.</summary>
public sealed class DistributionPlatform
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; set; } = "";

    [JsonPropertyName("os")]
    public string Os { get; set; } = "";

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; set; }
}
