using Berth.Core.Networks;
using Berth.Store;

namespace Berth.Network.Endpoints;

/// <summary>Endpoints whose network went away under them.</summary>
public sealed partial class EndpointManager
{
    /// <summary>
    /// The network of an endpoint was removed (by another node, while this one's entry was on it): the endpoint's record
    /// and its cluster record go; nothing in the kernel is touched (the network's objects went with it) and no address is
    /// released (its claims went with the network). Nothing when there is no such endpoint.
    /// </summary>
    public async Task ForgetAsync(string containerId, NetworkId network, CancellationToken cancellationToken = default)
    {
        using var held = await _containers.LockAsync(containerId, cancellationToken).ConfigureAwait(false);
        if (_endpoints.Find(containerId, network) is not { } endpoint)
        {
            return;
        }

        if (await _store.GetAsync(Key(endpoint), cancellationToken).ConfigureAwait(false) is { } entry
            && await _store.TryDeleteAsync(entry.Key, entry.ModRevision, cancellationToken).ConfigureAwait(false))
        {
            Apply(containerId, network, null, await _store.GetRevisionAsync(cancellationToken).ConfigureAwait(false));
        }

        if (endpoint.ClusterName is not null && Cluster is { } cluster)
        {
            await cluster.UnpublishAsync(network, endpoint.EndpointId, cancellationToken).ConfigureAwait(false);
        }
    }
}
