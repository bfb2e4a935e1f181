namespace Berth.Cluster.Swarm;

public sealed partial class SwarmNode
{
    /// <summary>
    /// For <c>berth doctor</c>: asks the etcd member at <paramref name="clientUrl"/> now, with this node's certificate,
    /// whether it answers and whether it sees a leader (<see cref="SwarmLiveness"/>'s look only asks the first, and
    /// stalls with the quorum). <see cref="EtcdMemberStanding.Unknown"/> without a live session.
    /// </summary>
    public async Task<EtcdMemberStanding> ProbeMemberAsync(Uri clientUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientUrl);
        if (Volatile.Read(ref _session) is not { } session)
        {
            return EtcdMemberStanding.Unknown;
        }

        try
        {
            var connection = session.Connection;
            return !await connection.MemberServesAsync(clientUrl, cancellationToken).ConfigureAwait(false) ? EtcdMemberStanding.NotAnswering
                : await connection.MemberHealthyAsync(clientUrl, cancellationToken).ConfigureAwait(false) ? EtcdMemberStanding.Healthy
                : EtcdMemberStanding.NoLeader;
        }
        catch (ObjectDisposedException)
        {
            // The session closed meanwhile (a role change, a rotation's reopening, leave).
            return EtcdMemberStanding.Unknown;
        }
    }
}
