namespace Berth.Api.Contracts.Diagnostics;

/// <summary><c>GET /berth/topology?format=json</c>: one host's networks, containers, ports and (on a manager) swarm.</summary>
public sealed class TopologyReport
{
    public string HostName { get; set; } = "";

    public DateTimeOffset Taken { get; set; }

    public List<TopologyInterfaceContract> Interfaces { get; set; } = [];

    public List<TopologyNetworkContract> Networks { get; set; } = [];

    public List<TopologyPortContract> Ports { get; set; } = [];

    public List<TopologyNodeContract> Nodes { get; set; } = [];

    /// <summary>What could not be read, one sentence each.</summary>
    public List<string> Notes { get; set; } = [];
}
