using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A driver an engine has (<c>{"Type":"Network","Name":"overlay"}</c>); the swagger's <c>PluginDescription</c>.</summary>
public sealed class EnginePlugin
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }
}
