using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Network.Drivers;

/// <summary>
/// host and null ("none"): networks with no kernel objects of their own, which exist once, made by
/// berthd; asking for another is Docker's 403.
/// </summary>
public sealed class FixedNetworkDriver(string name) : INetworkDriver
{
    public string Name { get; } = name;

    public bool NeedsGateway(NetworkConfig config) => false;

    public IReadOnlyDictionary<string, string> Plan(NetworkConfig config, NetworkId id, IReadOnlyCollection<NetworkState> existing) =>
        throw new BerthException(ErrorKind.Forbidden, $"only one instance of \"{Name}\" network is allowed");

    public void Create(NetworkState network)
    {
    }

    public void Delete(NetworkState network)
    {
    }

    public IReadOnlyList<string> Reconcile(NetworkState network) => [];
}
