using Berth.Core.Networks;
using Berth.Network.Cluster;

namespace Berth.Network.Drivers;

/// <summary>
/// A driver of swarm-scoped networks that wires this node to other nodes' endpoints (overlay: FDB and neighbour
/// entries). Told of each change the cluster store's watch sees; a driver with nothing of the network on this node
/// ignores it and reads the whole set from <see cref="RemoteEndpointTable"/> when it makes the network here.
/// Calls for one network come one at a time, in the store's order.
/// </summary>
public interface IRemoteEndpointDriver
{
    void RemoteAdded(NetworkState network, RemoteEndpoint endpoint);

    void RemoteRemoved(NetworkState network, RemoteEndpoint endpoint);
}
