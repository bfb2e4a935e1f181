using System.Text.Json.Serialization;
using Berth.Network.Cluster;

namespace Berth.Network.Persistence;

/// <summary>Source-generated JSON for the endpoint records of swarm-scoped networks in the cluster store.</summary>
[JsonSourceGenerationOptions(Converters = [typeof(IPAddressJsonConverter), typeof(NetworkIdJsonConverter)])]
[JsonSerializable(typeof(RemoteEndpoint))]
internal sealed partial class RemoteEndpointJsonContext : JsonSerializerContext
{
}
