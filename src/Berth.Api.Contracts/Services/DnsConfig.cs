using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary><c>ContainerSpec.DNSConfig</c>: <c>--dns</c>, <c>--dns-search</c>, <c>--dns-option</c> (the CLI always sends it, <c>{}</c> when empty).</summary>
public sealed class DnsConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Nameservers { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Search { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Options { get; set; }
}
