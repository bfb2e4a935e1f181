using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>An external CA that signs node certificates (<c>swarm init --external-ca</c>; only <c>cfssl</c> exists).</summary>
public sealed class ExternalCA
{
    public string Protocol { get; set; } = "cfssl";

    public string URL { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Options { get; set; }

    public string CACert { get; set; } = "";
}
