using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Volumes;

/// <summary>Volume events, EventIds 6500–6519.</summary>
internal static partial class VolumeLog
{
    [LoggerMessage(EventId = 6500, Level = LogLevel.Information, Message = "volume {Name} created at {Mountpoint}")]
    public static partial void Created(ILogger logger, string name, string mountpoint);

    [LoggerMessage(EventId = 6501, Level = LogLevel.Information, Message = "volume {Name} removed")]
    public static partial void Removed(ILogger logger, string name);

    [LoggerMessage(EventId = 6502, Level = LogLevel.Warning, Message = "volume {Name} was half {Phase} when berthd stopped; its directory and record are removed")]
    public static partial void HalfMadeRemoved(ILogger logger, string name, VolumePhase phase);

    [LoggerMessage(EventId = 6503, Level = LogLevel.Warning, Message = "volume {Name} had lost its directory; made it again, empty")]
    public static partial void DirectoryRecreated(ILogger logger, string name);
}
