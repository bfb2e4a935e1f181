using System.Collections.Concurrent;
using System.Collections.Immutable;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;
using Berth.Network.Firewall;

namespace Berth.Network.Tests.Drivers;

/// <summary>A driver known only to the tests: it keeps its "kernel objects" in memory and records every call.</summary>
internal sealed class FakeNetworkDriver(string name, NetworkDriverCapabilities capabilities) : INetworkDriver
{
    public string Name => name;

    public NetworkDriverCapabilities Capabilities => capabilities;

    /// <summary>Networks whose objects exist, by id.</summary>
    public ConcurrentDictionary<NetworkId, NetworkState> Networks { get; } = new();

    /// <summary>Joined endpoints, by endpoint id.</summary>
    public ConcurrentDictionary<string, EndpointState> Joined { get; } = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    public IReadOnlyDictionary<string, string> Plan(NetworkConfig config, NetworkId id, IReadOnlyCollection<NetworkState> existing)
    {
        Calls.Enqueue("plan " + config.Name);
        return ImmutableDictionary<string, string>.Empty.Add("fake.device", "fk-" + id.Short);
    }

    public void Create(NetworkState network)
    {
        Calls.Enqueue("create " + network.Name);
        Networks[network.Id] = network;
    }

    public void Delete(NetworkState network)
    {
        Calls.Enqueue("delete " + network.Name);
        Networks.TryRemove(network.Id, out _);
    }

    public IReadOnlyList<string> Reconcile(NetworkState network) => [];

    public IReadOnlyList<string> RemoveStrays(NetworkState network, IReadOnlySet<string> hostInterfaces) => [];

    public BridgeRules? FirewallRules(NetworkState network) => null;

    public SubnetAllocation AddressPool(NetworkState network, SubnetAllocation subnet) => subnet;

    public EndpointPlan PlanEndpoint(NetworkState network, string containerId) => new("fk" + containerId[..Math.Min(6, containerId.Length)]);

    public void Join(NetworkState network, EndpointState endpoint, NetworkNamespace container)
    {
        Calls.Enqueue("join " + endpoint.ContainerId);
        Joined[endpoint.EndpointId] = endpoint;
    }

    public void Leave(NetworkState network, EndpointState endpoint, NetworkNamespace container)
    {
        Calls.Enqueue("leave " + endpoint.ContainerId);
        Joined.TryRemove(endpoint.EndpointId, out _);
    }
}
