using Berth.Core.Networks;

namespace Berth.Network.Persistence;

/// <summary>A network as the store holds it, with the mod revision a compare-and-swap must see unchanged.</summary>
public sealed record StoredNetwork(NetworkState Network, long ModRevision);
