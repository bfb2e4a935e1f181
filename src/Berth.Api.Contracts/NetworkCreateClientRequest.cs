using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>POST /networks/create</c> as docker's CLI 28 writes it: this key order, <c>Scope</c>/<c>IPAM</c>/<c>Options</c>/<c>Labels</c>
/// always present, <c>EnableIPv6</c> only when <c>--ipv6</c> was given, no <c>CheckDuplicate</c> (API 1.44 and later).
/// </summary>
public sealed class NetworkCreateClientRequest
{
    public string Driver { get; set; } = "bridge";

    public string Scope { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnableIPv6 { get; set; }

    [JsonPropertyName("IPAM")]
    public Ipam Ipam { get; set; } = new();

    public bool Internal { get; set; }

    public bool Attachable { get; set; }

    public bool Ingress { get; set; }

    public bool ConfigOnly { get; set; }

    public ConfigReference? ConfigFrom { get; set; }

    public Dictionary<string, string> Options { get; set; } = [];

    public Dictionary<string, string> Labels { get; set; } = [];

    public string Name { get; set; } = "";
}
