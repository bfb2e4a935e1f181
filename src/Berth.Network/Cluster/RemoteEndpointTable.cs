using System.Collections.Immutable;
using Berth.Core.Networks;

namespace Berth.Network.Cluster;

/// <summary>
/// The endpoints of other nodes on swarm-scoped networks, as the watch on the cluster store last saw them: an
/// immutable snapshot per network, replaced on every change, so a driver making a network's sandbox reads one
/// consistent set. Filled only by <see cref="ClusterEndpoints"/>.
/// </summary>
public sealed class RemoteEndpointTable
{
    private readonly Lock _lock = new();
    private ImmutableDictionary<NetworkId, ImmutableDictionary<string, RemoteEndpoint>> _byNetwork =
        ImmutableDictionary<NetworkId, ImmutableDictionary<string, RemoteEndpoint>>.Empty;

    /// <summary>The other nodes' endpoints on a network.</summary>
    public IReadOnlyCollection<RemoteEndpoint> Of(NetworkId network) =>
        Volatile.Read(ref _byNetwork).TryGetValue(network, out var endpoints) ? endpoints.Values.ToList() : [];

    /// <summary>Every remote endpoint, all networks.</summary>
    public IReadOnlyList<RemoteEndpoint> All() => [.. Volatile.Read(ref _byNetwork).Values.SelectMany(e => e.Values)];

    /// <summary>Adds or replaces; returns the endpoint it replaced, if any.</summary>
    internal RemoteEndpoint? Set(RemoteEndpoint endpoint)
    {
        lock (_lock)
        {
            var endpoints = _byNetwork.GetValueOrDefault(endpoint.NetworkId) ?? ImmutableDictionary<string, RemoteEndpoint>.Empty.WithComparers(StringComparer.Ordinal);
            endpoints.TryGetValue(endpoint.EndpointId, out var replaced);
            Volatile.Write(ref _byNetwork, _byNetwork.SetItem(endpoint.NetworkId, endpoints.SetItem(endpoint.EndpointId, endpoint)));
            return replaced;
        }
    }

    internal RemoteEndpoint? Remove(NetworkId network, string endpointId)
    {
        lock (_lock)
        {
            if (!_byNetwork.TryGetValue(network, out var endpoints) || !endpoints.TryGetValue(endpointId, out var removed))
            {
                return null;
            }

            endpoints = endpoints.Remove(endpointId);
            Volatile.Write(ref _byNetwork, endpoints.IsEmpty ? _byNetwork.Remove(network) : _byNetwork.SetItem(network, endpoints));
            return removed;
        }
    }
}
