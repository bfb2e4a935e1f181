using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A network as <c>GET /networks</c> and <c>GET /networks/{id}</c> return it (Docker Engine API).</summary>
public sealed class Network
{
    public string Name { get; set; } = "";

    public string Id { get; set; } = "";

    /// <summary>RFC 3339 with nanoseconds.</summary>
    public string Created { get; set; } = "";

    public string Scope { get; set; } = "local";

    public string Driver { get; set; } = "";

    public bool EnableIPv6 { get; set; }

    [JsonPropertyName("IPAM")]
    public Ipam Ipam { get; set; } = new();

    public bool Internal { get; set; }

    public bool Attachable { get; set; }

    public bool Ingress { get; set; }

    public ConfigReference ConfigFrom { get; set; } = new();

    public bool ConfigOnly { get; set; }

    public Dictionary<string, NetworkContainer> Containers { get; set; } = [];

    public Dictionary<string, string> Options { get; set; } = [];

    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary><c>?verbose=true</c> on a swarm-scoped network: the nodes that have endpoints on it (left out otherwise, as Docker does).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<PeerInfo>? Peers { get; set; }

    /// <summary>
    /// Berth's own, <c>?verbose=true</c> on an encrypted network with endpoints on this node: what its sealed data path
    /// sent, delivered and dropped (by reason) here. Left out otherwise.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, long>? Encryption { get; set; }
}
