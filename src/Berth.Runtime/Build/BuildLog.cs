using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Build;

/// <summary>Log messages of the build step primitives; EventIds 5600–5699.</summary>
internal static partial class BuildLog
{
    [LoggerMessage(EventId = 5600, Level = LogLevel.Debug, Message = "build snapshot {Id} made over image {ImageId}")]
    internal static partial void SnapshotCreated(ILogger logger, string id, string imageId);

    [LoggerMessage(EventId = 5601, Level = LogLevel.Information, Message = "removed the leftovers of crashed build snapshot {Id}")]
    internal static partial void Swept(ILogger logger, string id);

    [LoggerMessage(EventId = 5602, Level = LogLevel.Warning, Message = "could not remove the leftovers of build snapshot {Id}")]
    internal static partial void SweepFailed(ILogger logger, string id, Exception exception);

    [LoggerMessage(EventId = 5603, Level = LogLevel.Debug, Message = "build step in snapshot {Id} exited with {ExitCode}")]
    internal static partial void StepExited(ILogger logger, string id, int exitCode);

    [LoggerMessage(EventId = 5604, Level = LogLevel.Warning, Message = "build container {ContainerId} was not removed completely")]
    internal static partial void RunCleanupFailed(ILogger logger, string containerId, Exception exception);

    [LoggerMessage(EventId = 5605, Level = LogLevel.Debug, Message = "build step committed as image {ImageId} (empty layer: {EmptyLayer})")]
    internal static partial void Committed(ILogger logger, string imageId, bool emptyLayer);

    [LoggerMessage(EventId = 5606, Level = LogLevel.Debug, Message = "build network {Id} ({Mode}) made: namespace {Namespace}")]
    internal static partial void NetworkLeased(ILogger logger, string id, string mode, string @namespace);

    [LoggerMessage(EventId = 5607, Level = LogLevel.Debug, Message = "build network {Id} released")]
    internal static partial void NetworkReleased(ILogger logger, string id);

    [LoggerMessage(EventId = 5608, Level = LogLevel.Information, Message = "released the network of build {Id}, interrupted by a crash")]
    internal static partial void NetworkLeftoverReleased(ILogger logger, string id);
}
