using Microsoft.Extensions.Logging;

namespace Berth.Cluster.NodeChannel;

/// <summary>The node channel's logs, EventIds 7200–7219.</summary>
internal static partial class NodeChannelLog
{
    [LoggerMessage(EventId = 7200, Level = LogLevel.Information, Message = "node channel listening on {Endpoint} (task logs for other nodes)")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Error,
        Message = "node channel cannot listen on {Address}:{Port}: {Reason}; other nodes cannot read the logs of this node's tasks until it can (open TCP {Port} between nodes, free it from other programs, then leave and rejoin or restart berthd)")]
    public static partial void NotListening(ILogger logger, string address, int port, string reason);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Information, Message = "node channel stopped")]
    public static partial void Stopped(ILogger logger);
}
