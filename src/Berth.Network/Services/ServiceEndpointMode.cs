using System.Text.Json.Serialization;

namespace Berth.Network.Services;

/// <summary>How a service's name resolves on a network (<c>--endpoint-mode</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ServiceEndpointMode>))]
public enum ServiceEndpointMode
{
    /// <summary>The name resolves to the service's virtual IP; connections to it are balanced over the backends where the client is.</summary>
    [JsonStringEnumMemberName("vip")]
    Vip,

    /// <summary>The name resolves to every backend's address (DNS round robin); no virtual IP.</summary>
    [JsonStringEnumMemberName("dnsrr")]
    Dnsrr,
}
