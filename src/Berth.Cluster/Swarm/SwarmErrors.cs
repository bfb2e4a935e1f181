using Berth.Core.Errors;

namespace Berth.Cluster.Swarm;

/// <summary>Docker's swarm messages (moby <c>daemon/cluster/errors.go</c>, <c>swarm.go</c>; swarmkit <c>controlapi</c>), each with its kind.</summary>
public static class SwarmErrors
{
    /// <summary>moby <c>errNoManager</c> (503).</summary>
    public const string NotAManager =
        "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

    /// <summary>moby <c>errNoSwarm</c> (503).</summary>
    public const string NotPartOfASwarm = "This node is not part of a swarm";

    /// <summary>moby <c>errSwarmExists</c> (503).</summary>
    public const string AlreadyInASwarm = "This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.";

    /// <summary>moby <c>errNoQuorum</c>: the cluster store cannot commit (a majority of managers is down).</summary>
    public const string NoLeader =
        "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

    /// <summary>moby <c>Leave</c>: the last manager does not leave without <c>--force</c> (503).</summary>
    public const string LastManager =
        "You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.";

    /// <summary>swarmkit <c>store.ErrSequenceConflict</c> (400).</summary>
    public const string OutOfSequence = "update out of sequence";

    public static BerthException NotManager() => new(ErrorKind.Unavailable, NotAManager);

    public static BerthException NoSwarm() => new(ErrorKind.Unavailable, NotPartOfASwarm);

    public static BerthException Exists() => new(ErrorKind.Unavailable, AlreadyInASwarm);

    public static BerthException Quorum(Exception cause) => new(ErrorKind.Unavailable, NoLeader, cause);

    public static BerthException Sequence() => new(ErrorKind.InvalidArgument, OutOfSequence);

    /// <summary>moby's refusal to leave when a manager's departure costs the quorum.</summary>
    public static string LosesQuorum(int reachable, int total) =>
        "You are attempting to leave the swarm on a node that is participating as a manager. "
        + $"Removing this node leaves {reachable - 1} managers out of {total}. Without a Raft quorum your swarm will be inaccessible. "
        + "The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to suppress this message.";

    /// <summary>swarmkit <c>RemoveNode</c> (FailedPrecondition → 400).</summary>
    public static BerthException ManagerNotDemoted(string node) =>
        new(ErrorKind.InvalidArgument, $"node {node} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal");

    public static BerthException NotDown(string node) =>
        new(ErrorKind.InvalidArgument, $"node {node} is not down and can't be removed");
}
