using Berth.Cluster.Identity;
using Berth.Core.Errors;

namespace Berth.Cluster.Swarm;

/// <summary><c>swarm leave [--force]</c>: Docker's refusals for managers, then the heartbeat, the member and <c>ROOT/swarm</c> go.</summary>
public sealed partial class SwarmNode
{
    /// <summary>
    /// What leaving also does while the session still holds, after Docker's refusals: moby's <c>Leave</c> removes the
    /// node's task containers (the services layer sets it: it stops its agent first, so none is started again).
    /// </summary>
    public Func<NodeId, CancellationToken, Task>? Leaving { get; set; }

    public async Task LeaveAsync(bool force, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state is not { } state)
            {
                throw SwarmErrors.NoSwarm();
            }

            if (state.Role == ClusterRole.Manager && !force)
            {
                await RefuseManagerLeaveAsync(state, cancellationToken).ConfigureAwait(false);
            }

            if (Leaving is { } leaving)
            {
                await leaving(state.Node, cancellationToken).ConfigureAwait(false);
            }

            if (_session is { } session)
            {
                SetSession(null);
                await session.CloseAsync(connection => state.Role != ClusterRole.Manager ? Task.CompletedTask
                    : External is null ? LeaveMembershipAsync(connection, state) : EraseSwarmIfLastManagerAsync(connection, state)).ConfigureAwait(false);
            }

            SwarmStateFile.Delete(paths);
            _state = null;
            _error = "";
            SwarmLog.Left(logger, state.Node.Value);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>moby's <c>Leave</c> without force: the last manager, or one whose leaving costs the quorum, stays.</summary>
    private async Task RefuseManagerLeaveAsync(LocalSwarmState state, CancellationToken cancellationToken)
    {
        if (_session is null)
        {
            throw new BerthException(ErrorKind.Unavailable,
                "You are attempting to leave the swarm on a node that is participating as a manager. Doing so may lose the consensus of your cluster. "
                + "The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to suppress this message.");
        }

        var managers = (await ListNodesAsync(cancellationToken).ConfigureAwait(false)).Where(n => n.Manager is not null).ToList();
        if (External is not null)
        {
            // The state lives on in the external etcd while another manager's record does; only the last one erases it.
            if (managers.Count == 1)
            {
                throw new BerthException(ErrorKind.Unavailable, SwarmErrors.LastManager);
            }

            return;
        }

        int reachable = managers.Count(n => n.Manager!.Reachable);
        int unreachable = managers.Count - reachable;
        // moby's isLastManager and removingManagerCausesLossOfQuorum.
        if (reachable == 1 && unreachable == 0)
        {
            throw new BerthException(ErrorKind.Unavailable, SwarmErrors.LastManager);
        }

        if (reachable - 2 <= unreachable)
        {
            throw new BerthException(ErrorKind.Unavailable, SwarmErrors.LosesQuorum(reachable, managers.Count));
        }
    }

    /// <summary>
    /// A manager that leaves takes its member out of etcd first, so the others' quorum no longer counts it. etcd
    /// refuses ("unhealthy cluster") while the remaining members have not all been connected for its health interval
    /// (5 s): a member restarted a moment ago; so it is asked again for a while.
    /// </summary>
    private async Task LeaveMembershipAsync(IClusterConnection connection, LocalSwarmState state)
    {
        try
        {
            var members = await connection.Members.ListAsync(CancellationToken.None).ConfigureAwait(false);
            if (members.Count > 1 && members.FirstOrDefault(m => m.Name == state.Node.Value) is { } self)
            {
                await RemoveMemberAsync(connection.Members, self.Id, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (BerthException e)
        {
            SwarmLog.UndoFailed(logger, $"remove the etcd member of {state.Node} (its peers count it until it is removed)", e);
        }
    }

    /// <summary>Removes a member, asking again while etcd says the cluster is not healthy enough yet (see <see cref="LeaveMembershipAsync"/>).</summary>
    private static async Task RemoveMemberAsync(IEtcdCluster members, ulong id, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await members.RemoveAsync(id, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Unavailable && clock.Elapsed < MemberChangeTimeout)
            {
                await Task.Delay(PromoteRetry, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
