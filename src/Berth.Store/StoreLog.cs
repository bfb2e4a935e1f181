using Microsoft.Extensions.Logging;

namespace Berth.Store;

/// <summary>Log messages of the state store; EventIds 3000–3099.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "state store {Path} opened at revision {Revision} (schema version {SchemaVersion})")]
    internal static partial void Opened(ILogger logger, string path, long revision, int schemaVersion);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "state store {Path}: schema migrated from version {FromVersion} to {ToVersion}")]
    internal static partial void Migrated(ILogger logger, string path, int fromVersion, int toVersion);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "watch on \"{Prefix}\" fell behind by {Capacity} changes and was ended; its owner must list again")]
    internal static partial void WatchOverflow(ILogger logger, string prefix, int capacity);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "watch on \"{Prefix}\" after revision {AfterRevision} refused: changes up to revision {CompactedRevision} are no longer kept")]
    internal static partial void WatchCompacted(ILogger logger, string prefix, long afterRevision, long compactedRevision);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Trace, Message = "state store committed revision {Revision} with {Count} changes")]
    internal static partial void Committed(ILogger logger, long revision, int count);
}
