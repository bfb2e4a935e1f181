using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>Bytes done and expected for a progress line.</summary>
public sealed class JsonProgressDetail
{
    [JsonPropertyName("current")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Current { get; set; }

    [JsonPropertyName("total")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Total { get; set; }
}
