using System.Collections.Immutable;
using System.Net;
using Berth.Core.Addressing;
using Berth.Core.Containers;
using Berth.Core.Networks;
using Berth.Core.Ports;
using Berth.Network.Endpoints;
using Berth.Runtime.Engine;

namespace Berth.Diagnostics.Tests.Topology;

/// <summary>Networks, containers and endpoints for the topology's tests, made the way the store holds them.</summary>
internal static class TopologyLab
{
    public static NetworkState NetworkOf(string name, string driver, string subnet, string? gateway, string scope = "local") => new()
    {
        Id = NetworkId.New(),
        Config = new NetworkConfig { Name = name, Driver = driver, Scope = scope },
        Created = DateTimeOffset.UnixEpoch,
        Subnets = [new SubnetAllocation { Subnet = IPNetwork.Parse(subnet), Gateway = gateway is null ? null : IPAddress.Parse(gateway) }],
        Phase = NetworkPhase.Ready,
    };

    public static ContainerRecord Container(string name, NetworkState network, ContainerStatus status = ContainerStatus.Running, string? staticIp = null,
        ImmutableArray<PublishedPort> ports = default) => new()
    {
        Id = ContainerId.New(),
        Name = name,
        Created = DateTimeOffset.UnixEpoch,
        Spec = new ContainerCreateSpec { Image = "bb:latest", Endpoints = [new EndpointSpec(network.Name, staticIp)] },
        ImageId = "sha256:" + new string('0', 64),
        Status = status,
        Ports = ports.IsDefault ? [] : ports,
        ExplicitEndpoints = true,
    };

    public static EndpointState Endpoint(ContainerRecord container, NetworkState network, string address, string mac = "02:42:0a:4d:00:32") => new()
    {
        EndpointId = new string('e', 64),
        ContainerId = container.Id.Value,
        NetworkId = network.Id,
        InterfaceName = "eth0",
        IPv4 = IPPrefix.Parse(address),
        MacAddress = mac,
    };
}
