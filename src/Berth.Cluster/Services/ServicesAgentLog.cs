using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Services;

/// <summary>The task agent's and the binding sync's log events, 7150–7169.</summary>
internal static partial class ServicesAgentLog
{
    [LoggerMessage(EventId = 7150, Level = LogLevel.Warning, Message = "Following the tasks broke ({Reason}); listing them again")]
    public static partial void WatchLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 7151, Level = LogLevel.Warning, Message = "A task record at {Key} does not read ({Reason}); skipped")]
    public static partial void BadRecord(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 7152, Level = LogLevel.Warning, Message = "Task {Task}: {Step} failed: {Reason}")]
    public static partial void TaskFailed(ILogger logger, string task, string step, string reason);

    [LoggerMessage(EventId = 7153, Level = LogLevel.Debug, Message = "Task {Task} reported {State}")]
    public static partial void Reported(ILogger logger, string task, string state);

    [LoggerMessage(EventId = 7155, Level = LogLevel.Information, Message = "Task {Task}: its container {Container} is unhealthy; stopping it (the task fails)")]
    public static partial void Unhealthy(ILogger logger, string task, string container);

    [LoggerMessage(EventId = 7154, Level = LogLevel.Warning, Message = "Keeping the service bindings in step failed ({Reason}); looking again shortly")]
    public static partial void BindingsFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7156, Level = LogLevel.Warning, Message = "Leaving the swarm: the task container {Container} could not be removed ({Reason}); remove it with docker rm -f")]
    public static partial void LeftContainer(ILogger logger, string container, string reason);

    [LoggerMessage(EventId = 7157, Level = LogLevel.Information, Message = "Pulled {Image} for task {Task}{With}")]
    public static partial void ImagePulled(ILogger logger, string image, string task, string with);

    [LoggerMessage(EventId = 7158, Level = LogLevel.Warning, Message = "Pulling {Image} for task {Task} failed ({Reason}); its container is made from the image here, if any")]
    public static partial void ImagePullFailed(ILogger logger, string image, string task, string reason);
}
