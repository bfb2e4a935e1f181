using Berth.Cluster.Swarm;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// The swarm's control plane: each manager's etcd member is asked now whether it answers and sees a leader, and the
/// managers whose member answers are counted against the majority a quorum needs (Raft: more than half). Without it
/// the swarm accepts no change — Docker's "does not have a leader". Outside a swarm, one line says so.
/// </summary>
public sealed class ClusterQuorumCheck : IDoctorCheck
{
    private const string EtcdCheck = "cluster etcd";
    private const string QuorumCheck = "cluster quorum";
    private const string Subject = "swarm";

    public string Area => "cluster";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(scope);
        if (!scope.IsEverything)
        {
            return [];
        }

        if (await ClusterPeers.LoadAsync(sources, cancellationToken).ConfigureAwait(false) is not { } peers)
        {
            return [DoctorFinding.Ok(QuorumCheck, Subject, "not in a swarm")];
        }

        if (peers.Local.State != SwarmLocalState.Active)
        {
            return [DoctorFinding.Problem(QuorumCheck, Subject,
                $"this node is in a swarm but not connected to it ({peers.Local.State.ToString().ToLowerInvariant()}{(peers.Local.Error.Length > 0 ? ": " + peers.Local.Error : "")})",
                "docker node ls  # on a manager: are a majority of the managers up? then restart berthd here")];
        }

        var managers = peers.Managers.Where(m => m.EtcdClientUrl is not null).ToList();
        if (sources.EtcdMembers is not { } ask || managers.Count == 0)
        {
            return [DoctorFinding.Ok(QuorumCheck, Subject, "the swarm keeps its state in an external etcd: its quorum is that etcd's own")];
        }

        var standings = await Task.WhenAll(managers.Select(m => ask(m.EtcdClientUrl!, cancellationToken))).ConfigureAwait(false);
        var findings = managers.Zip(standings, (manager, standing) => MemberFinding(manager, standing)).ToList();
        findings.Add(Quorum(peers, managers, standings));
        return findings;
    }

    private static DoctorFinding MemberFinding(ClusterNode manager, EtcdMemberStanding standing) => standing switch
    {
        EtcdMemberStanding.Healthy => DoctorFinding.Ok(EtcdCheck, manager.Subject, $"member at {Url(manager)} answers and sees a leader"),
        EtcdMemberStanding.NoLeader => DoctorFinding.Problem(EtcdCheck, manager.Subject,
            $"member at {Url(manager)} answers but sees no leader: too few managers are up for a quorum, or an election is under way",
            "docker node ls  # start berthd again on the managers shown Unreachable"),
        EtcdMemberStanding.NotAnswering => DoctorFinding.Problem(EtcdCheck, manager.Subject,
            $"member at {Url(manager)} does not answer: berthd (which runs it) is down on {manager.Address}, or tcp {manager.EtcdClientUrl!.Port} is closed on the way",
            $"docker node ls  # then start berthd again on {manager.Address}, or open tcp {manager.EtcdClientUrl!.Port} to it"),
        _ => DoctorFinding.Warning(EtcdCheck, manager.Subject, "not asked: this node's swarm session closed meanwhile", "berth doctor  # again in a moment"),
    };

    private static string Url(ClusterNode manager) => manager.EtcdClientUrl!.GetLeftPart(UriPartial.Authority);

    /// <summary>Raft's majority of the voting members: ⌊n/2⌋+1, as swarmkit counts its managers.</summary>
    private static DoctorFinding Quorum(ClusterPeers peers, List<ClusterNode> managers, EtcdMemberStanding[] standings)
    {
        int total = managers.Count;
        int needed = total / 2 + 1;
        int answering = standings.Count(s => s is EtcdMemberStanding.Healthy or EtcdMemberStanding.NoLeader);
        string counted = $"{answering} of {total} managers' etcd members answer, {needed} needed for quorum" + (peers.IsManager ? "" : " (the managers this worker knows)");
        var down = managers.Zip(standings).Where(p => p.Second == EtcdMemberStanding.NotAnswering).Select(p => p.First.Address).ToList();
        if (answering < needed)
        {
            return DoctorFinding.Problem(QuorumCheck, Subject, $"{counted}: {SwarmErrors.NoLeader}",
                $"docker node ls  # then start berthd again on {string.Join(", ", down)}; if they are lost for good, docker swarm init --force-new-cluster on a manager that answers");
        }

        if (!standings.Contains(EtcdMemberStanding.Healthy))
        {
            return DoctorFinding.Problem(QuorumCheck, Subject, $"{counted}, yet none sees a leader: an election is under way or the members cannot reach each other (tcp 2380)",
                "berth doctor  # again in a few seconds; if it stays, check tcp 2380 between the managers");
        }

        return DoctorFinding.Ok(QuorumCheck, Subject, $"{counted}: {answering - needed} more may be lost");
    }
}
