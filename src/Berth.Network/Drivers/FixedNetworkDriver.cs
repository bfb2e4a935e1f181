using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Endpoints;
using Berth.Network.Firewall;

namespace Berth.Network.Drivers;

/// <summary>
/// host and null ("none"): networks with no kernel objects of their own, which exist once, made by
/// berthd; asking for another is Docker's 403. Containers get no interface from them: host shares the
/// host's namespace, null leaves the container with loopback only.
/// </summary>
public sealed class FixedNetworkDriver : INetworkDriver
{
    public FixedNetworkDriver(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Capabilities = new NetworkDriverCapabilities
        {
            Singleton = true,
            SharesHostNamespace = name == NetworkDrivers.Host,
            Isolated = name == NetworkDrivers.Null,
        };
    }

    public string Name { get; }

    public NetworkDriverCapabilities Capabilities { get; }

    public IReadOnlyDictionary<string, string> Plan(NetworkConfig config, NetworkId id, IReadOnlyCollection<NetworkState> existing) =>
        throw new BerthException(ErrorKind.Forbidden, $"only one instance of \"{Name}\" network is allowed");

    public void Create(NetworkState network)
    {
    }

    public void Delete(NetworkState network)
    {
    }

    public IReadOnlyList<string> Reconcile(NetworkState network) => [];

    public IReadOnlyList<string> RemoveStrays(NetworkState network, IReadOnlySet<string> hostInterfaces) => [];

    public BridgeRules? FirewallRules(NetworkState network) => null;

    public SubnetAllocation AddressPool(NetworkState network, SubnetAllocation subnet) => subnet;

    public EndpointPlan PlanEndpoint(NetworkState network, string containerId) => throw NoInterface(network);

    public void Join(NetworkState network, EndpointState endpoint, NetworkNamespace container) => throw NoInterface(network);

    public void Leave(NetworkState network, EndpointState endpoint, NetworkNamespace container)
    {
    }

    private BerthException NoInterface(NetworkState network) =>
        new(ErrorKind.InvalidArgument, $"network {network.Name}: the {Name} driver gives containers no interface of their own");
}
