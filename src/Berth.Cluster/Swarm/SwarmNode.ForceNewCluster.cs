using Berth.Cluster.Identity;

namespace Berth.Cluster.Swarm;

/// <summary>
/// <c>swarm init --force-new-cluster</c> on a manager: the way back for a swarm that lost a majority of its managers
/// for good. This manager's etcd member becomes the only member, keeping every record (nodes, services, networks,
/// secrets); the node keeps its identity and certificate, and the other managers stay listed, unreachable, until
/// they are demoted and removed (or leave and join again) — as Docker's swarm does.
/// </summary>
public sealed partial class SwarmNode
{
    private async Task<NodeId> ForceNewClusterLockedAsync(LocalSwarmState state, CancellationToken cancellationToken)
    {
        if (state.Role != ClusterRole.Manager)
        {
            throw SwarmErrors.NotManager();
        }

        if (_session is { } current)
        {
            SetSession(null);
            await current.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await backend.ForceNewClusterAsync(state, paths, cancellationToken).ConfigureAwait(false);
            // The other members' URLs are gone for good: the node's store client asks only its own.
            var alone = External is null ? state with { EtcdEndpoints = [EtcdClusterBackend.ClientUrl(state.AdvertiseAddress)] } : state;
            SwarmStateFile.Save(paths, alone);
            _state = alone;
            SetSession(await OpenSessionAsync(alone, cancellationToken).ConfigureAwait(false));
            _error = "";
            SwarmLog.ForcedNewCluster(logger, alone.Cluster.Value, alone.Node.Value);
            return alone.Node;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever happened, the node is still this swarm's manager: it reconnects as after a restart.
            _error = e.Message;
            if (_resume is null || _resume.IsCompleted)
            {
                _resume = ResumeAsync(_disposing.Token);
            }
            throw;
        }
    }
}
