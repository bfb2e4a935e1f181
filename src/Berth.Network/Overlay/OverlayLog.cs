using Microsoft.Extensions.Logging;

namespace Berth.Network.Overlay;

/// <summary>Log messages of the overlay sandboxes; EventIds 2400–2499.</summary>
internal static partial class OverlayLog
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "overlay sandbox {Sandbox} of network {Network} created: VNI {Vni}, port {Port}, VTEP {Vtep}, MTU {Mtu}, {ElapsedMs} ms")]
    internal static partial void Created(ILogger logger, string sandbox, string network, uint vni, ushort port, string vtep, int mtu, double elapsedMs);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "overlay sandbox {Sandbox}: {What}")]
    internal static partial void Repaired(ILogger logger, string sandbox, string what);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "overlay sandbox {Sandbox} removed")]
    internal static partial void Removed(ILogger logger, string sandbox);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Debug, Message = "overlay sandbox {Sandbox}: {Writes} peer entries written for {Peers} peers in {ElapsedMs} ms")]
    internal static partial void PeersProgrammed(ILogger logger, string sandbox, int writes, int peers, double elapsedMs);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Warning, Message = "overlay sandbox {Sandbox}: removing it as a leftover: {Reason}")]
    internal static partial void Leftover(ILogger logger, string sandbox, string reason);
}
