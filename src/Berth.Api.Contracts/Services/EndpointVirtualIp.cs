using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A service's virtual IP on one network, as CIDR (<c>10.0.1.2/24</c>).</summary>
public sealed class EndpointVirtualIp
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NetworkID { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Addr { get; set; }
}
