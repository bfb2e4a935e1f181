using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary><c>EndpointSpec</c>: <c>--endpoint-mode</c> (<c>vip</c>, the default, or <c>dnsrr</c>) and <c>--publish</c>.</summary>
public sealed class EndpointSpecContract
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Mode { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<PortConfig>? Ports { get; set; }
}
