namespace Berth.Diagnostics.Topology;

/// <summary>A node with endpoints on a swarm-scoped network, and the address its tunnels reach it at.</summary>
public sealed record TopologyPeer(string Name, string Address);
