using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Services;

/// <summary>Services' and the orchestrator's log lines: EventIds 7100–7149.</summary>
internal static partial class ServicesLog
{
    [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "service {Name} ({Service}) created")]
    public static partial void Created(ILogger logger, string name, string service);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "service {Name} ({Service}) updated to spec version {SpecVersion}")]
    public static partial void Updated(ILogger logger, string name, string service, long specVersion);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "service {Name} ({Service}) removed")]
    public static partial void Removed(ILogger logger, string name, string service);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "releasing virtual IP {Address} on network {Network} failed")]
    public static partial void ReleaseFailed(ILogger logger, string address, string network, Exception exception);

    [LoggerMessage(EventId = 7110, Level = LogLevel.Information, Message = "orchestrator on {Node} leads (fence revision {Revision})")]
    public static partial void Leading(ILogger logger, string node, long revision);

    [LoggerMessage(EventId = 7111, Level = LogLevel.Information, Message = "orchestrator on {Node} no longer leads")]
    public static partial void Deposed(ILogger logger, string node);

    [LoggerMessage(EventId = 7112, Level = LogLevel.Debug, Message = "service {Service}: {Count} task writes committed")]
    public static partial void Committed(ILogger logger, string service, int count);

    [LoggerMessage(EventId = 7113, Level = LogLevel.Information, Message = "service {Service}: writes refused (leadership or a task changed under us); reconciling again")]
    public static partial void Fenced(ILogger logger, string service);

    [LoggerMessage(EventId = 7114, Level = LogLevel.Warning, Message = "orchestrator pass failed; trying again")]
    public static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7115, Level = LogLevel.Warning, Message = "orchestrator watch ended; listing again")]
    public static partial void WatchLost(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7116, Level = LogLevel.Information, Message = "service {Service}: update state {State}: {Message}")]
    public static partial void UpdateState(ILogger logger, string service, string state, string message);

    [LoggerMessage(EventId = 7117, Level = LogLevel.Information, Message = "node {Node} is down: its tasks are rescheduled")]
    public static partial void NodeDown(ILogger logger, string node);

    [LoggerMessage(EventId = 7118, Level = LogLevel.Information, Message = "the swarm's ingress network is made")]
    public static partial void IngressCreated(ILogger logger);

    [LoggerMessage(EventId = 7119, Level = LogLevel.Debug, Message = "the ingress network cannot be made yet ({Reason}); retrying")]
    public static partial void IngressNotYet(ILogger logger, string reason);
}
