namespace Berth.Api.Contracts.Diagnostics;

/// <summary>A network with what its driver made on the host and what is on it; fields that do not apply are null or empty.</summary>
public sealed class TopologyNetworkContract
{
    public string Name { get; set; } = "";

    public string Id { get; set; } = "";

    public string Driver { get; set; } = "";

    public string Scope { get; set; } = "";

    public bool Internal { get; set; }

    public bool Ingress { get; set; }

    public List<string> Subnets { get; set; } = [];

    public List<string> Gateways { get; set; } = [];

    public string? Bridge { get; set; }

    public string? Parent { get; set; }

    public bool ParentMadeByBerth { get; set; }

    public string? Mode { get; set; }

    public string? HostShim { get; set; }

    public List<string> HostShimAddresses { get; set; } = [];

    public bool HostReachesContainers { get; set; }

    public int? Mtu { get; set; }

    public string? Sandbox { get; set; }

    public uint? Vni { get; set; }

    public List<TopologyContainerContract> Containers { get; set; } = [];

    public List<TopologyPeerContract> Peers { get; set; } = [];

    public List<TopologyTaskContract> Tasks { get; set; } = [];
}
