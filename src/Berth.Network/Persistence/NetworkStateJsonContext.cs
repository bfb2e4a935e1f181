using System.Text.Json.Serialization;
using Berth.Core.Networks;

namespace Berth.Network.Persistence;

/// <summary>Source-generated JSON for stored networks (berthd is compiled ahead of time; no reflection).</summary>
[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    Converters = [typeof(IPAddressJsonConverter), typeof(IPNetworkJsonConverter), typeof(NetworkIdJsonConverter)])]
[JsonSerializable(typeof(NetworkState))]
internal sealed partial class NetworkStateJsonContext : JsonSerializerContext
{
}
