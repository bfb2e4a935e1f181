using Microsoft.Extensions.Logging;

namespace Berth.Api.ServiceLogs;

/// <summary>Service and task logs on the manager, EventIds 4100–4119.</summary>
internal static partial class ServiceLogsLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "logs of task {Task} left out: {Reason}")]
    public static partial void TaskLeftOut(ILogger logger, string task, string reason);
}
