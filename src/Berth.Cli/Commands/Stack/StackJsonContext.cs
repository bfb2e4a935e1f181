using System.Text.Json.Serialization;

namespace Berth.Cli.Commands.Stack;

/// <summary>Source-generated JSON for the stack's own shapes (secrets and configs), Native AOT: no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified)]
[JsonSerializable(typeof(StackFileObjectSpec))]
[JsonSerializable(typeof(List<SwarmObject>))]
[JsonSerializable(typeof(SwarmObject))]
internal sealed partial class StackJsonContext : JsonSerializerContext
{
}
