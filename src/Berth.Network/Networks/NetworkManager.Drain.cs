using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Network.Networks;

/// <summary>
/// Draining swarm-scoped networks: removed by a user while tasks of removed services were still leaving them. The
/// record says so (a crash loses nothing); every manager looks at them each <see cref="DrainCheck"/> and the first to
/// find one with no endpoint left on any node removes it, as a removal with no user would.
/// </summary>
public sealed partial class NetworkManager
{
    /// <summary>How often a manager looks whether a draining network's last endpoint has gone.</summary>
    private static readonly TimeSpan DrainCheck = TimeSpan.FromSeconds(1);

    /// <summary>Marks the network draining (gone for users; its name free) while its leaving endpoints go; the caller holds the gate.</summary>
    private async Task DrainLockedAsync(NetworkState network, CancellationToken cancellationToken)
    {
        var (repository, fence) = ScopeOf(network);
        var drained = await repository.DrainAsync(network.Id, cancellationToken).ConfigureAwait(false);
        Apply(fence, network.Id, drained.Network, drained.ModRevision);
        NetworkLog.Draining(_logger, network.Name, network.Id.Value);
    }

    /// <summary>
    /// Removes each draining network no endpoint is left on (by the cluster's records, this node's included);
    /// returns how many it removed. Managers call it every <see cref="DrainCheck"/>.
    /// </summary>
    public async Task<int> FinishDrainedAsync(CancellationToken cancellationToken = default)
    {
        int removed = 0;
        foreach (var network in _networks.Values.Where(n => n.Phase == NetworkPhase.Draining && IsSwarmScoped(n)))
        {
            if (UsedInClusterAsync is { } used && await used(network.Id, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_networks.GetValueOrDefault(network.Id) is { Phase: NetworkPhase.Draining } still)
                {
                    await DeleteLockedAsync(still, cancellationToken).ConfigureAwait(false);
                    removed++;
                }
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Another manager finished it first.
            }
            finally
            {
                _gate.Release();
            }
        }

        return removed;
    }

    private async Task FollowDrainsAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(DrainCheck, _time, cancellationToken).ConfigureAwait(false);
                await FinishDrainedAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
            {
                // The store out of reach (a partition, a lost quorum): the next look tries again.
                foreach (var network in _networks.Values.Where(n => n.Phase == NetworkPhase.Draining))
                {
                    NetworkLog.DrainFailed(_logger, network.Name, e.Message);
                }
            }
        }
    }
}
