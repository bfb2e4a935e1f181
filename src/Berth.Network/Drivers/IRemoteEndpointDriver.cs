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

    /// <summary>
    /// After this node (re)linked to the cluster and listed every node's endpoints: this node's objects of the driver's
    /// <paramref name="networks"/> brought in line with them (repaired, reprogrammed, dropped where no container of this
    /// node is left), and those of networks no longer in the cluster removed. Returns what it changed.
    /// </summary>
    IReadOnlyList<string> Resync(IReadOnlyCollection<NetworkState> networks);
}
