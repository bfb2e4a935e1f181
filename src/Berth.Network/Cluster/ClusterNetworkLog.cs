using Microsoft.Extensions.Logging;

namespace Berth.Network.Cluster;

/// <summary>Log messages of swarm-scoped networking (the cluster link, endpoint records, remote endpoints); EventIds 2500–2549.</summary>
internal static partial class ClusterNetworkLog
{
    [LoggerMessage(EventId = 2500, Level = LogLevel.Information, Message = "cluster networking connected: node {Node}, tunnel endpoint {Vtep}, {Published} local endpoints published, {Remote} remote endpoints")]
    internal static partial void Connected(ILogger logger, string node, string vtep, int published, int remote);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "cluster networking disconnected")]
    internal static partial void Disconnected(ILogger logger);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "the lease of this node's endpoint records lapsed; {Count} records published again on a new one")]
    internal static partial void Republished(ILogger logger, int count);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Warning, Message = "cluster endpoint records: {What} failed; retrying")]
    internal static partial void Failed(ILogger logger, string what, Exception exception);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Error, Message = "network {Network}: wiring remote endpoint {Endpoint} of node {Node} failed: {Message}")]
    internal static partial void RemoteFailed(ILogger logger, string network, string endpoint, string node, string message);

    [LoggerMessage(EventId = 2505, Level = LogLevel.Information, Message = "after linking to the cluster: {Change}")]
    internal static partial void Resynced(ILogger logger, string change);

    [LoggerMessage(EventId = 2506, Level = LogLevel.Warning, Message = "watch on the cluster's {What} was lost ({Reason}); listing again")]
    internal static partial void WatchLost(ILogger logger, string what, string reason);

    [LoggerMessage(EventId = 2507, Level = LogLevel.Warning, Message = "cluster endpoint record {Key} cannot be read ({Reason}); ignored until it is replaced")]
    internal static partial void Unreadable(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 2508, Level = LogLevel.Information, Message = "withdrew {Count} endpoint records a previous berthd of this node left (runs that ended while it was down)")]
    internal static partial void StaleWithdrawn(ILogger logger, int count);
}
