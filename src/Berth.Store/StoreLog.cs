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

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "etcd store at {Endpoints} under \"{Prefix}\" connected at revision {Revision}")]
    internal static partial void EtcdConnected(ILogger logger, string endpoints, string prefix, long revision);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "watch on \"{Prefix}\" lost its etcd stream ({Detail}); resuming from revision {Revision} on the next endpoint")]
    internal static partial void WatchReconnecting(ILogger logger, string prefix, long revision, string detail);
}
