using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;
using Berth.Network.Firewall;

namespace Berth.Diagnostics.Tests.Topology;

/// <summary>A driver that only describes its networks (as <paramref name="describe"/> says); it makes nothing.</summary>
internal sealed class DescribedDriver(string name, Func<NetworkState, NetworkHostView> describe, NetworkDriverScope scope = NetworkDriverScope.Local) : INetworkDriver
{
    public string Name => name;

    public NetworkDriverCapabilities Capabilities { get; } = new() { ConnectsContainers = true, Scope = scope };

    public NetworkHostView Describe(NetworkState network) => describe(network);

    public IReadOnlyDictionary<string, string> Plan(NetworkConfig config, NetworkId id, IReadOnlyCollection<NetworkState> existing) => throw new NotSupportedException();

    public void Create(NetworkState network) => throw new NotSupportedException();

    public void Delete(NetworkState network) => throw new NotSupportedException();

    public IReadOnlyList<string> Reconcile(NetworkState network) => throw new NotSupportedException();

    public IReadOnlyList<string> RemoveStrays(NetworkState network, IReadOnlySet<string> hostInterfaces) => throw new NotSupportedException();

    public BridgeRules? FirewallRules(NetworkState network) => null;

    public SubnetAllocation AddressPool(NetworkState network, SubnetAllocation subnet) => subnet;

    public EndpointPlan PlanEndpoint(NetworkState network, string containerId) => throw new NotSupportedException();

    public void Join(NetworkState network, EndpointState endpoint, NetworkNamespace container) => throw new NotSupportedException();

    public void Leave(NetworkState network, EndpointState endpoint, NetworkNamespace container) => throw new NotSupportedException();
}
