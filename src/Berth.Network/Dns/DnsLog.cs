using System.Net;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Dns;

/// <summary>Log messages of the embedded DNS resolver; EventIds 2300–2399.</summary>
internal static partial class DnsLog
{
    [LoggerMessage(EventId = 2300, Level = LogLevel.Debug, Message = "DNS resolver listening at 127.0.0.11:53 for container {ContainerId}")]
    public static partial void Attached(this ILogger logger, string containerId);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Debug, Message = "DNS resolver stopped for container {ContainerId}")]
    public static partial void Detached(this ILogger logger, string containerId);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Debug, Message = "DNS upstream {Upstream} failed for {Name} ({Type}): {Reason}")]
    public static partial void UpstreamFailed(this ILogger logger, IPEndPoint upstream, string name, DnsRecordType type, string reason);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "DNS: every upstream failed for {Name} ({Type}); answered SERVFAIL")]
    public static partial void AllUpstreamsFailed(this ILogger logger, string name, DnsRecordType type);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "DNS: more than {Limit} forwarded queries in flight; answering SERVFAIL until some finish ({Dropped} so far)")]
    public static partial void TooManyForwards(this ILogger logger, int limit, long dropped);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Warning, Message = "DNS resolver of container {ContainerId}: {Transport} loop failed")]
    public static partial void LoopFailed(this ILogger logger, string containerId, DnsTransport transport, Exception exception);

    [LoggerMessage(EventId = 2306, Level = LogLevel.Debug, Message = "DNS names of container {ContainerId} ({Name}): {Count} endpoint(s)")]
    public static partial void Registered(this ILogger logger, string containerId, string name, int count);

    [LoggerMessage(EventId = 2307, Level = LogLevel.Warning, Message = "DNS names of container {ContainerId} on the cluster's networks could not be synced: {Reason}")]
    public static partial void ResyncFailed(this ILogger logger, string containerId, string reason);
}
