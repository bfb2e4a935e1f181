using System.Text.Json.Serialization;
using Berth.Network.Services;

namespace Berth.Network.Persistence;

/// <summary>Source-generated JSON for the service bindings of swarm-scoped networks in the cluster store.</summary>
[JsonSourceGenerationOptions(Converters = [typeof(IPAddressJsonConverter), typeof(NetworkIdJsonConverter)])]
[JsonSerializable(typeof(ServiceBinding))]
internal sealed partial class ServiceBindingJsonContext : JsonSerializerContext
{
}
