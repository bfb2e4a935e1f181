namespace Berth.Cluster.Swarm;

/// <summary>What one manager's etcd member answered when asked just now (<c>berth doctor</c>).</summary>
public enum EtcdMemberStanding
{
    /// <summary>Not asked: this node has no live session (outside a swarm, or still connecting).</summary>
    Unknown,

    /// <summary>No answer to <c>/version</c>: its berthd (and with it the member) is down, or the way to it is closed.</summary>
    NotAnswering,

    /// <summary>Answers, but <c>/health</c> is false: it sees no leader (too few members for a quorum, or an election under way).</summary>
    NoLeader,

    /// <summary>Answers and is part of a cluster with a leader that commits.</summary>
    Healthy,
}
