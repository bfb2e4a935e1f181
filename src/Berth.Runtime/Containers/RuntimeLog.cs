using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Containers;

/// <summary>Log messages of the container runtime; EventIds 6000–6099.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Container {Id} created: conmon {ConmonPid}, init {ContainerPid}")]
    public static partial void Created(ILogger logger, string id, int conmonPid, int containerPid);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Debug, Message = "Container {Id} create: bundle (rootfs mount, /etc files, config.json) {BundleMs} ms, conmon detached {ConmonMs} ms, runc create {RuncMs} ms")]
    public static partial void CreateTimings(ILogger logger, string id, double bundleMs, double conmonMs, double runcMs);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Container {Id} started")]
    public static partial void Started(ILogger logger, string id);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Container {Id} did not stop within {Seconds} s of SIGTERM; sending SIGKILL")]
    public static partial void Escalating(ILogger logger, string id, double seconds);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Container {Id} deleted")]
    public static partial void Deleted(ILogger logger, string id);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Container {Id}: cleanup after a failed create also failed: {Message}")]
    public static partial void CleanupFailed(ILogger logger, string id, string message);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning, Message = "Container {Id} stopped while its conmon was gone, so no exit code was recorded; recording exit code {Code}")]
    public static partial void ExitLost(ILogger logger, string id, int code);
}
