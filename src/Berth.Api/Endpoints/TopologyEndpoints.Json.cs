using Berth.Api.Contracts.Diagnostics;
using Berth.Diagnostics.Topology;

namespace Berth.Api.Endpoints;

/// <summary>The JSON form: the topology's records as the API's contract types.</summary>
internal sealed partial class TopologyEndpoints
{
    internal static TopologyReport ToContract(HostTopology topology) => new()
    {
        HostName = topology.HostName,
        Taken = topology.Taken,
        Interfaces = [.. topology.Interfaces.Select(i => new TopologyInterfaceContract
        {
            Name = i.Name, Addresses = [.. i.Addresses], State = i.State, Mtu = i.Mtu, Roles = [.. i.Roles], Lower = i.Lower,
        })],
        Networks = [.. topology.Networks.Select(ToContract)],
        Ports = [.. topology.Ports.Select(p => new TopologyPortContract
        {
            Owner = p.Owner, HostAddress = p.HostAddress, HostPort = p.HostPort, Protocol = p.Protocol, Target = p.Target, Via = p.Via,
        })],
        Nodes = [.. topology.Nodes.Select(n => new TopologyNodeContract
        {
            Name = n.Name, Id = n.Id, Role = n.Role, State = n.State, Availability = n.Availability, Address = n.Address, Self = n.Self,
        })],
        Notes = [.. topology.Notes],
    };

    private static TopologyNetworkContract ToContract(TopologyNetwork network) => new()
    {
        Name = network.Name,
        Id = network.Id,
        Driver = network.Driver,
        Scope = network.Scope,
        Internal = network.Internal,
        Ingress = network.Ingress,
        Subnets = [.. network.Subnets],
        Gateways = [.. network.Gateways],
        Bridge = network.Bridge,
        Parent = network.Parent,
        ParentMadeByBerth = network.ParentMadeByBerth,
        Mode = network.Mode,
        HostShim = network.HostShim,
        HostShimAddresses = [.. network.HostShimAddresses],
        HostReachesContainers = network.HostReachesContainers,
        Mtu = network.Mtu,
        Sandbox = network.Sandbox,
        Vni = network.Vni,
        Containers = [.. network.Containers.Select(c => new TopologyContainerContract
        {
            Name = c.Name, Id = c.Id, State = c.State, Addresses = [.. c.Addresses], MacAddress = c.MacAddress, Ports = [.. c.Ports], Service = c.Service,
        })],
        Peers = [.. network.Peers.Select(p => new TopologyPeerContract { Name = p.Name, Address = p.Address })],
        Tasks = [.. network.Tasks.Select(t => new TopologyTaskContract
        {
            Name = t.Name, Service = t.Service, Slot = t.Slot, Node = t.Node, NodeId = t.NodeId, Address = t.Address, State = t.State,
        })],
    };
}
