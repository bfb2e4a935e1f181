using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Endpoints;
using Berth.Network.Firewall;

namespace Berth.Network.Drivers;

/// <summary>Overlay networks need a cluster; until this node is a swarm manager they are refused with Docker's message.</summary>
public sealed class OverlayDriver : INetworkDriver
{
    public const string NotAManager =
        "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

    public string Name => NetworkDrivers.Overlay;

    public NetworkDriverCapabilities Capabilities { get; } = new()
    {
        ConnectsContainers = true,
        EmbeddedDns = true,
        NeedsGateway = true,
        Scope = NetworkDriverScope.Swarm,
    };

    public IReadOnlyDictionary<string, string> Plan(NetworkConfig config, NetworkId id, IReadOnlyCollection<NetworkState> existing) =>
        throw new BerthException(ErrorKind.Unavailable, NotAManager);

    public void Create(NetworkState network) => throw new BerthException(ErrorKind.Unavailable, NotAManager);

    public void Delete(NetworkState network)
    {
    }

    public IReadOnlyList<string> Reconcile(NetworkState network) => [];

    public BridgeRules? FirewallRules(NetworkState network) => null;

    public SubnetAllocation AddressPool(NetworkState network, SubnetAllocation subnet) => subnet;

    public EndpointPlan PlanEndpoint(NetworkState network, string containerId) => throw new BerthException(ErrorKind.Unavailable, NotAManager);

    public void Join(NetworkState network, EndpointState endpoint, NetworkNamespace container) => throw new BerthException(ErrorKind.Unavailable, NotAManager);

    public void Leave(NetworkState network, EndpointState endpoint, NetworkNamespace container)
    {
    }
}
