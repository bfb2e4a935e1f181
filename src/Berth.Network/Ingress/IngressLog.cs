using Microsoft.Extensions.Logging;

namespace Berth.Network.Ingress;

/// <summary>The routing mesh's log messages (event ids 2650–2669).</summary>
internal static partial class IngressLog
{
    [LoggerMessage(EventId = 2650, Level = LogLevel.Information, Message = "routing mesh: this node entered ingress network {Network} as {Address}")]
    public static partial void Entered(ILogger logger, string network, string address);

    [LoggerMessage(EventId = 2651, Level = LogLevel.Information, Message = "routing mesh: this node left ingress network {Network}")]
    public static partial void Left(ILogger logger, string network);

    [LoggerMessage(EventId = 2652, Level = LogLevel.Debug, Message = "routing mesh: {Publications} published ports, {Entries} node entries")]
    public static partial void Applied(ILogger logger, int publications, int entries);

    [LoggerMessage(EventId = 2653, Level = LogLevel.Error, Message = "routing mesh: {What} failed; retrying")]
    public static partial void Failed(ILogger logger, string what, Exception exception);

    [LoggerMessage(EventId = 2654, Level = LogLevel.Warning, Message = "routing mesh: this node's entry into network {Network} lost its interface; making it again")]
    public static partial void EntryLost(ILogger logger, string network);

    [LoggerMessage(EventId = 2655, Level = LogLevel.Error, Message = "routing mesh: the return path of task container {Container} could not be made")]
    public static partial void TaskFailed(ILogger logger, string container, Exception exception);
}
