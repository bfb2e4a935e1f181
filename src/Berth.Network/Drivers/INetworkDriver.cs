using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Endpoints;
using Berth.Network.Firewall;

namespace Berth.Network.Drivers;

/// <summary>
/// A network driver, for networks and for the endpoints on them (netavark's <c>NetworkDriver</c>, libnetwork's
/// <c>driverapi.Driver</c>): validates a request before anything is made, makes and removes the network's kernel
/// objects, finds them again after a restart, and wires containers in and out. It declares what it is in
/// <see cref="Capabilities"/>; the engine asks those, never the driver's name. Methods are synchronous kernel work;
/// the managers persist state around them. Drivers are registered in one <see cref="NetworkDriverRegistry"/>.
/// </summary>
public interface INetworkDriver
{
    /// <summary>The driver's name as Docker spells it (bridge, macvlan, host, null, overlay).</summary>
    string Name { get; }

    NetworkDriverCapabilities Capabilities { get; }

    /// <summary>
    /// Checks the driver options against this driver and the networks that exist; throws one
    /// <see cref="Berth.Core.Errors.BerthException"/> naming every problem. Makes nothing.
    /// Returns the driver state the network will have (e.g. the bridge name), decided up front so
    /// that it is stored before any kernel object exists.
    /// </summary>
    IReadOnlyDictionary<string, string> Plan(NetworkConfig config, NetworkId id, IReadOnlyCollection<NetworkState> existing);

    /// <summary>Makes the kernel objects of a planned network. On failure it removes what it made and throws.</summary>
    void Create(NetworkState network);

    /// <summary>Removes the kernel objects; idempotent and best effort (collects errors, throws once at the end).</summary>
    void Delete(NetworkState network);

    /// <summary>After a restart: re-creates whatever is missing; returns a description of what was repaired (empty if nothing).</summary>
    IReadOnlyList<string> Reconcile(NetworkState network);

    /// <summary>
    /// After a restart, once the endpoints are known: removes the network's endpoint links in the host that no endpoint
    /// names in <paramref name="hostInterfaces"/> (a crash between making them and recording them); returns what went.
    /// </summary>
    IReadOnlyList<string> RemoveStrays(NetworkState network, IReadOnlySet<string> hostInterfaces);

    /// <summary>The firewall entries the network needs (added by <see cref="Create"/>, re-added by <see cref="Reconcile"/>); null for none.</summary>
    BridgeRules? FirewallRules(NetworkState network);

    /// <summary>
    /// A subnet as IPAM should hand out container addresses from it: addresses the driver uses itself (macvlan's host
    /// shim) are added to its reserved ones. Most drivers return it unchanged.
    /// </summary>
    SubnetAllocation AddressPool(NetworkState network, SubnetAllocation subnet);

    /// <summary>Decides what the endpoint's record holds before the interface exists (e.g. the host end's name).</summary>
    EndpointPlan PlanEndpoint(NetworkState network, string containerId);

    /// <summary>
    /// Makes the container's interface directly inside its namespace (never moved: a move costs ~17 ms under
    /// rtnl_lock), addressed, up and routed; on failure removes what it made and throws.
    /// </summary>
    void Join(NetworkState network, EndpointState endpoint, NetworkNamespace container);

    /// <summary>Removes the container's interface (and its host side); idempotent.</summary>
    void Leave(NetworkState network, EndpointState endpoint, NetworkNamespace container);

    /// <summary>
    /// The endpoint is released after its container's namespace went (the container was removed): its interfaces died
    /// with it, so most drivers have nothing to do; one that keeps something of the endpoint outside the namespace (a
    /// per-network sandbox) drops it here. Idempotent.
    /// </summary>
    void Released(NetworkState network, EndpointState endpoint)
    {
    }

    /// <summary>What the network is on this host (its bridge, parent, host shim, MTU…), for diagnostics and the topology.</summary>
    NetworkHostView Describe(NetworkState network) => NetworkHostView.None;
}
