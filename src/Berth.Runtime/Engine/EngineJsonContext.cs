using System.Text.Json.Serialization;

namespace Berth.Runtime.Engine;

[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(ContainerRecord))]
internal sealed partial class EngineJsonContext : JsonSerializerContext
{
}
