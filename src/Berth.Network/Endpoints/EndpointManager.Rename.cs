namespace Berth.Network.Endpoints;

/// <summary>A renamed container's name on swarm-scoped networks.</summary>
public sealed partial class EndpointManager
{
    /// <summary>
    /// After <c>docker rename</c>: each of the container's endpoints on a swarm-scoped network takes the new name and is
    /// published again, so every node's resolver drops the old name and answers the new one. Nothing for a container
    /// without such endpoints.
    /// </summary>
    public async Task RenameClusterEndpointsAsync(string containerId, string newName, CancellationToken cancellationToken = default)
    {
        string name = newName.TrimStart('/');
        using var held = await _containers.LockAsync(containerId, cancellationToken).ConfigureAwait(false);
        foreach (var endpoint in _endpoints.OfContainer(containerId).Where(e => e.ClusterName is not null && e.ClusterName != name))
        {
            await UpdateAsync(endpoint, e => e with { ClusterName = name }, cancellationToken).ConfigureAwait(false);
            if (_endpoints.Find(containerId, endpoint.NetworkId) is { } updated && Cluster is not null)
            {
                await PublishAsync(updated, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
