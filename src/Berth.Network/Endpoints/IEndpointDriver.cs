using Berth.Core.Networks;
using Berth.Linux.Namespaces;

namespace Berth.Network.Endpoints;

/// <summary>
/// The part of a network driver that wires a container in: its interface is created directly
/// inside the container's namespace (never moved: a move costs ~17 ms under rtnl_lock), addressed,
/// brought up and given its routes before the container's first instruction runs.
/// </summary>
public interface IEndpointDriver
{
    string Name { get; }

    /// <summary>Makes the container's interface; on failure removes what it made and throws.</summary>
    void Join(NetworkState network, EndpointState endpoint, NetworkNamespace container);

    /// <summary>Removes the container's interface (and its host side); idempotent.</summary>
    void Leave(NetworkState network, EndpointState endpoint, NetworkNamespace container);
}
