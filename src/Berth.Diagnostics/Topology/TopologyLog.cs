using Microsoft.Extensions.Logging;

namespace Berth.Diagnostics.Topology;

internal static partial class TopologyLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "topology: {Part} could not be read")]
    public static partial void PartFailed(ILogger logger, string part, Exception error);
}
