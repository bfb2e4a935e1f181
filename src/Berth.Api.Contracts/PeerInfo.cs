namespace Berth.Api.Contracts;

/// <summary>A node with endpoints on a swarm-scoped network, as <c>network inspect --verbose</c> lists it.</summary>
public sealed class PeerInfo
{
    public string Name { get; set; } = "";

    /// <summary>The node's tunnel endpoint address.</summary>
    public string IP { get; set; } = "";
}
