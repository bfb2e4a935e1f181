using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Swarm;

/// <summary>The swarm's log lines: EventIds 7020–7059.</summary>
internal static partial class SwarmLog
{
    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "swarm initialised: node {Node} manages cluster {Cluster}, advertising {Address}")]
    public static partial void Initialised(ILogger logger, string node, string cluster, string address);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Information, Message = "joined the swarm {Cluster} as {Role} {Node} through {Manager}")]
    public static partial void Joined(ILogger logger, string cluster, string role, string node, string manager);

    [LoggerMessage(EventId = 7022, Level = LogLevel.Information, Message = "node {Node} left the swarm")]
    public static partial void Left(ILogger logger, string node);

    [LoggerMessage(EventId = 7023, Level = LogLevel.Information, Message = "back in the swarm {Cluster} as {Role} {Node}")]
    public static partial void Resumed(ILogger logger, string cluster, string role, string node);

    [LoggerMessage(EventId = 7024, Level = LogLevel.Warning, Message = "cannot reconnect to the swarm yet; trying again in {Delay}")]
    public static partial void ResumeFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 7025, Level = LogLevel.Information, Message = "admitted {Role} {Node} ({Hostname} at {Address})")]
    public static partial void Admitted(ILogger logger, string role, string node, string hostname, string address);

    [LoggerMessage(EventId = 7026, Level = LogLevel.Warning, Message = "join refused: {Reason}")]
    public static partial void JoinRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 7027, Level = LogLevel.Warning, Message = "heartbeat of node {Node} failed; trying again")]
    public static partial void HeartbeatFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(EventId = 7028, Level = LogLevel.Information, Message = "node {Node} is the swarm's leader")]
    public static partial void Elected(ILogger logger, string node);

    [LoggerMessage(EventId = 7029, Level = LogLevel.Warning, Message = "undoing a half-made swarm change failed: {What}")]
    public static partial void UndoFailed(ILogger logger, string what, Exception exception);

    [LoggerMessage(EventId = 7030, Level = LogLevel.Information, Message = "etcd member {Member} promoted from learner after {Milliseconds} ms")]
    public static partial void Promoted(ILogger logger, string member, long milliseconds);

    [LoggerMessage(EventId = 7031, Level = LogLevel.Warning, Message = "half-made swarm state in {Directory} (no state file) removed")]
    public static partial void HalfMadeRemoved(ILogger logger, string directory);

    [LoggerMessage(EventId = 7032, Level = LogLevel.Information, Message = "node {Node} is now a {Role}")]
    public static partial void RoleChanged(ILogger logger, string node, string role);

    [LoggerMessage(EventId = 7033, Level = LogLevel.Warning, Message = "becoming a {Role} failed; trying again at the next look")]
    public static partial void RoleChangeFailed(ILogger logger, string role, Exception exception);

    [LoggerMessage(EventId = 7034, Level = LogLevel.Debug, Message = "swarm {Operation}: {Phase} took {Milliseconds} ms")]
    public static partial void Phase(ILogger logger, string operation, string phase, double milliseconds);

    [LoggerMessage(EventId = 7035, Level = LogLevel.Warning, Message = "swarm {Cluster}: a new cluster forced from this manager's copy (node {Node}); the other managers' members are out of it")]
    public static partial void ForcedNewCluster(ILogger logger, string cluster, string node);
}
