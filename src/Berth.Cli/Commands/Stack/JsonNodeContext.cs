using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Berth.Cli.Commands.Stack;

/// <summary>Source-generated JSON for a request body edited as a tree (Native AOT: no reflection).</summary>
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class JsonNodeContext : JsonSerializerContext
{
}
