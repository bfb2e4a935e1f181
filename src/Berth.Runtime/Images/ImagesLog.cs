using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Images;

/// <summary>Log messages of the image store; EventIds 5200–5299.</summary>
internal static partial class ImagesLog
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Debug, Message = "layer {DiffId} unpacked: {Entries} entries, {Bytes} bytes")]
    internal static partial void LayerUnpacked(ILogger logger, string diffId, int entries, long bytes);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "layer {DiffId} already present; shared")]
    internal static partial void LayerShared(ILogger logger, string diffId);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "skipped device node {Path} in a layer: not running as root")]
    internal static partial void DeviceSkipped(ILogger logger, string path);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "image {Id} stored as {References}")]
    internal static partial void ImageStored(ILogger logger, string id, string references);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "image {Id} deleted")]
    internal static partial void ImageDeleted(ILogger logger, string id);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Information, Message = "layer {DiffId} deleted: no image uses it")]
    internal static partial void LayerDeleted(ILogger logger, string diffId);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Warning, Message = "could not delete {Path}")]
    internal static partial void CleanupFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 5207, Level = LogLevel.Debug, Message = "registry {Method} {Uri} answered {Status}")]
    internal static partial void RegistryResponse(ILogger logger, string method, Uri uri, int status);

    [LoggerMessage(EventId = 5208, Level = LogLevel.Debug, Message = "skipped tar entry {Path} of type {Type}")]
    internal static partial void EntrySkipped(ILogger logger, string path, string type);
}
