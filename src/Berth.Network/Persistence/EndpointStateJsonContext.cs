using System.Text.Json.Serialization;
using Berth.Network.Endpoints;

namespace Berth.Network.Persistence;

/// <summary>Source-generated JSON for stored endpoints.</summary>
[JsonSourceGenerationOptions(
    Converters = [typeof(IPAddressJsonConverter), typeof(IPPrefixJsonConverter), typeof(NetworkIdJsonConverter)])]
[JsonSerializable(typeof(EndpointState))]
internal sealed partial class EndpointStateJsonContext : JsonSerializerContext
{
}
