using System.Text.Json.Serialization;

namespace Berth.Runtime.Engine;

[JsonSourceGenerationOptions(UseStringEnumConverter = true, Converters = [typeof(Berth.Network.Persistence.IPAddressJsonConverter)])]
[JsonSerializable(typeof(ContainerRecord))]
internal sealed partial class EngineJsonContext : JsonSerializerContext
{
}
