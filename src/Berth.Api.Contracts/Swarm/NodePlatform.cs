using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A node's <c>Platform</c>: <c>uname -m</c> style architecture (<c>x86_64</c>) and <c>linux</c>.</summary>
public sealed class NodePlatform
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Architecture { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OS { get; set; }
}
