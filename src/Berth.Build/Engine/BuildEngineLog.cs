using Microsoft.Extensions.Logging;

namespace Berth.Build.Engine;

/// <summary>Log messages of the build engine; EventIds 5700–5799.</summary>
internal static partial class BuildEngineLog
{
    [LoggerMessage(EventId = 5700, Level = LogLevel.Information, Message = "built image {ImageId}: {Steps} steps, {Cached} from the cache")]
    public static partial void Built(ILogger logger, string imageId, int steps, int cached);
}
