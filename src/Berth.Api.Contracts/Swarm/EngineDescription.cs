using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A node's engine: its version (<c>node ls</c>' ENGINE VERSION), daemon labels and plugins.</summary>
public sealed class EngineDescription
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EngineVersion { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<EnginePlugin>? Plugins { get; set; }
}
