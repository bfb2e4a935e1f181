namespace Berth.Api.Contracts;

/// <summary>A manager in <c>/info</c>'s <c>Swarm.RemoteManagers</c>: its node id and cluster address.</summary>
public sealed class SwarmPeer
{
    public string NodeID { get; set; } = "";

    public string Addr { get; set; } = "";
}
