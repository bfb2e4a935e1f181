using Microsoft.Extensions.Logging;

namespace Berth.Network.Overlay.Sealed;

/// <summary>Log messages of the encrypted overlay's data path and keys; EventIds 2700–2749.</summary>
internal static partial class SealedLog
{
    [LoggerMessage(EventId = 2700, Level = LogLevel.Information, Message = "encrypted overlay: key ring of the cluster at generation {Generation} ({Keys} keys)")]
    public static partial void Ring(ILogger logger, uint generation, int keys);

    [LoggerMessage(EventId = 2701, Level = LogLevel.Information, Message = "encrypted overlay: this manager rotated the cluster's key to generation {Generation}")]
    public static partial void Rotated(ILogger logger, uint generation);

    [LoggerMessage(EventId = 2702, Level = LogLevel.Warning, Message = "encrypted overlay: {What} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string what, string reason);

    [LoggerMessage(EventId = 2703, Level = LogLevel.Information, Message = "encrypted overlay: {Tap} of network {Network} open in {Sandbox}, VNI {Vni}, datagrams to port {Port} of at most {Datagram} bytes")]
    public static partial void Opened(ILogger logger, string tap, string network, string sandbox, uint vni, int port, int datagram);

    [LoggerMessage(EventId = 2704, Level = LogLevel.Information, Message = "encrypted overlay: {Tap} of network {Network} closed")]
    public static partial void Closed(ILogger logger, string tap, string network);

    [LoggerMessage(EventId = 2705, Level = LogLevel.Information, Message = "encrypted overlay: listening on {Endpoint} with {Workers} receiving threads")]
    public static partial void Listening(ILogger logger, string endpoint, int workers);

    [LoggerMessage(EventId = 2706, Level = LogLevel.Error, Message = "encrypted overlay: the {Loop} loop stopped: {Reason}")]
    public static partial void LoopFailed(ILogger logger, string loop, string reason);
}
