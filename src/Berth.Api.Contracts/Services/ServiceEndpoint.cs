using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A service's <c>Endpoint</c>: its endpoint spec as applied, the ports as published (numbers picked), and its virtual IPs.</summary>
public sealed class ServiceEndpoint
{
    public EndpointSpecContract Spec { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<PortConfig>? Ports { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<EndpointVirtualIp>? VirtualIPs { get; set; }
}
