using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>The body of <c>POST /networks/create</c>. Every field but Name may be absent or null.</summary>
public sealed class NetworkCreateRequest
{
    public string? Name { get; set; }

    /// <summary>Sent below API 1.44; false lets a second network take an existing name (docker-py relies on it).</summary>
    public bool? CheckDuplicate { get; set; }

    public string? Driver { get; set; }

    public string? Scope { get; set; }

    public bool? Internal { get; set; }

    public bool? Attachable { get; set; }

    public bool? Ingress { get; set; }

    public bool? ConfigOnly { get; set; }

    public ConfigReference? ConfigFrom { get; set; }

    [JsonPropertyName("IPAM")]
    public Ipam? Ipam { get; set; }

    public bool? EnableIPv6 { get; set; }

    public Dictionary<string, string>? Options { get; set; }

    public Dictionary<string, string>? Labels { get; set; }
}
