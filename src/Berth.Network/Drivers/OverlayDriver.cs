using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Network.Drivers;

/// <summary>Overlay networks need a cluster; until this node is a swarm manager they are refused with Docker's message.</summary>
public sealed class OverlayDriver : INetworkDriver
{
    public const string NotAManager =
        "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

    public string Name => NetworkDrivers.Overlay;

    public bool NeedsGateway(NetworkConfig config) => true;

    public IReadOnlyDictionary<string, string> Plan(NetworkConfig config, NetworkId id, IReadOnlyCollection<NetworkState> existing) =>
        throw new BerthException(ErrorKind.Unavailable, NotAManager);

    public void Create(NetworkState network) => throw new BerthException(ErrorKind.Unavailable, NotAManager);

    public void Delete(NetworkState network)
    {
    }

    public IReadOnlyList<string> Reconcile(NetworkState network) => [];
}
