using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>Log messages of container streams and log drivers; EventIds 5400–5409.</summary>
internal static partial class StreamsLog
{
    [LoggerMessage(EventId = 5400, Level = LogLevel.Warning, Message = "container {Id}: carrying output to its log driver failed (tried again at the next pass): {Message}")]
    public static partial void PumpFailed(ILogger logger, string id, string message);
}
