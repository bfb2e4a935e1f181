namespace Berth.Api.Contracts.Diagnostics;

/// <summary>A node with endpoints on a swarm-scoped network and its tunnel address.</summary>
public sealed class TopologyPeerContract
{
    public string Name { get; set; } = "";

    public string Address { get; set; } = "";
}
