using System.Collections.Immutable;

namespace Berth.Diagnostics.Topology;

/// <summary>
/// A container on one network: its addresses there (CIDR; empty while it is not running), MAC, state
/// (<c>running</c>, <c>exited</c>…) and the ports published to it through this network (<c>0.0.0.0:8080->80/tcp</c>).
/// </summary>
public sealed record TopologyContainer(string Name, string Id, string State, ImmutableArray<string> Addresses, string? MacAddress, ImmutableArray<string> Ports)
{
    /// <summary>The swarm service whose task it is, or null.</summary>
    public string? Service { get; init; }
}
