using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>The swagger's <c>ResourceObject</c>: a node's CPUs (in billionths) and memory, or what a task reserves of them.</summary>
public sealed class NodeResources
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long NanoCPUs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long MemoryBytes { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<GenericResource>? GenericResources { get; set; }
}
