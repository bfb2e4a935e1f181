namespace Berth.Network.Cluster;

/// <summary>
/// The current <see cref="ClusterLink"/>, shared by the network manager, the endpoint publisher and the drivers that
/// need the node's cluster facts (the overlay driver's tunnel address). Set by <see cref="ClusterNetworking"/> only.
/// </summary>
public sealed class ClusterLinkSource
{
    private ClusterLink? _current;

    public ClusterLink? Current => Volatile.Read(ref _current);

    internal void Set(ClusterLink? link) => Volatile.Write(ref _current, link);
}
