namespace Berth.Network.Endpoints;

/// <summary>Task containers as their services' backends.</summary>
public sealed partial class EndpointManager
{
    /// <summary>
    /// Takes a task container out of its service's rotation (<paramref name="inRotation"/> false: it became unhealthy) or
    /// puts it back: each of its endpoints naming a service on a swarm-scoped network is published again in or out of
    /// rotation, so every node's names and load balancing drop or regain it within the watch's latency while the
    /// container stays wired and reachable by address. Kept in the endpoint's record, so a berthd restart publishes it
    /// the same way. Nothing for a container without such endpoints.
    /// </summary>
    public async Task SetInRotationAsync(string containerId, bool inRotation, CancellationToken cancellationToken = default)
    {
        using var held = await _containers.LockAsync(containerId, cancellationToken).ConfigureAwait(false);
        foreach (var endpoint in _endpoints.OfContainer(containerId).Where(e => e.ServiceId is not null && e.ClusterName is not null && e.OutOfRotation == inRotation))
        {
            await UpdateAsync(endpoint, e => e with { OutOfRotation = !inRotation }, cancellationToken).ConfigureAwait(false);
            if (_endpoints.Find(containerId, endpoint.NetworkId) is { } updated && Cluster is not null)
            {
                await PublishAsync(updated, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
