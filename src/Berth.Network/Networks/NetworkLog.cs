using Microsoft.Extensions.Logging;

namespace Berth.Network.Networks;

/// <summary>Log messages of the network manager; EventIds 2000–2099.</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "network {Name} ({Id}) created: driver {Driver}, subnets {Subnets}, {ElapsedMs} ms")]
    internal static partial void Created(ILogger logger, string name, string id, string driver, string subnets, double elapsedMs);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "network {Name} ({Id}) removed")]
    internal static partial void Removed(ILogger logger, string name, string id);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "network {Name}: {What}")]
    internal static partial void Repaired(ILogger logger, string name, string what);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "network {Name} was left half-made by an earlier run (phase {Phase}); undoing it")]
    internal static partial void Undoing(ILogger logger, string name, Core.Networks.NetworkPhase phase);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "network {Name}: reconciling failed: {Message}")]
    internal static partial void ReconcileFailed(ILogger logger, string name, string message);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "{Count} networks loaded and reconciled in {ElapsedMs} ms")]
    internal static partial void Started(ILogger logger, int count, double elapsedMs);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "watch on the stored networks was lost ({Reason}); listing them again")]
    internal static partial void WatchLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "network {Name} ({Id}) removed for users; kept until the tasks leaving it are gone")]
    internal static partial void Draining(ILogger logger, string name, string id);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "network {Name}: finishing its removal failed ({Message}); tried again")]
    internal static partial void DrainFailed(ILogger logger, string name, string message);
}
