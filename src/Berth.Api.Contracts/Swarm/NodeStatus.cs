using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A node's <see cref="NodeState"/> as the managers see it, and the address they see it at.</summary>
public sealed class NodeStatus
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? State { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Addr { get; set; }
}
