using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Secrets;

/// <summary>Secrets' and configs' log lines: EventIds 7170–7189.</summary>
internal static partial class SecretsLog
{
    [LoggerMessage(EventId = 7170, Level = LogLevel.Information, Message = "{Kind} {Name} ({Id}) created")]
    public static partial void Created(ILogger logger, string kind, string name, string id);

    [LoggerMessage(EventId = 7171, Level = LogLevel.Information, Message = "{Kind} {Name} ({Id}) removed")]
    public static partial void Removed(ILogger logger, string kind, string name, string id);

    [LoggerMessage(EventId = 7172, Level = LogLevel.Information, Message = "{Kind} {Name} ({Id}): labels updated")]
    public static partial void Updated(ILogger logger, string kind, string name, string id);

    [LoggerMessage(EventId = 7173, Level = LogLevel.Information, Message = "task {Task}: {Count} secret and config files handed to node {Node}")]
    public static partial void Handed(ILogger logger, string task, int count, string node);

    [LoggerMessage(EventId = 7174, Level = LogLevel.Warning, Message = "task {Task}: node {Node} asked for its files, but the task is not that node's")]
    public static partial void Refused(ILogger logger, string task, string node);

    [LoggerMessage(EventId = 7175, Level = LogLevel.Warning, Message = "task {Task}: its secret files on {Directory} could not be removed: {Reason}")]
    public static partial void CleanupFailed(ILogger logger, string task, string directory, string reason);

    [LoggerMessage(EventId = 7176, Level = LogLevel.Information, Message = "removed the secret files of task {Task}, which has no container here any more")]
    public static partial void StaleRemoved(ILogger logger, string task);
}
