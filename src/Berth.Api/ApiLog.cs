using Microsoft.Extensions.Logging;

namespace Berth.Api;

/// <summary>Log messages of the Docker API layer; EventIds 4000–4099.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Docker API listening on {Address}")]
    internal static partial void Listening(ILogger logger, string address);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "{Method} {Path} failed with {Status}: {Message}")]
    internal static partial void RequestFailed(ILogger logger, string method, string path, int status, string message);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "{Method} {Path} failed unexpectedly")]
    internal static partial void RequestCrashed(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "{Method} {Path} failed after the response had started; aborting the connection")]
    internal static partial void FailedAfterStart(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "socket {Path} set to mode 0660, group {Group}")]
    internal static partial void SocketSecured(ILogger logger, string path, string group);
}
