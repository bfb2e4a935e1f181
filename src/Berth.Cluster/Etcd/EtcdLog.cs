using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Etcd;

/// <summary>The etcd member's log lines: EventIds 7000–7019.</summary>
internal static partial class EtcdLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "etcd member {Name} started (pid {Pid}) in {Milliseconds} ms, clients at {ClientUrl}")]
    public static partial void Started(ILogger logger, string name, int pid, long milliseconds, Uri clientUrl);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "etcd member {Name} (pid {Pid}) exited with {ExitCode}; restarting in {Delay}; its log: {LogFile}")]
    public static partial void Exited(ILogger logger, string name, int pid, int exitCode, TimeSpan delay, string logFile);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "etcd member {Name} stopped")]
    public static partial void Stopped(ILogger logger, string name);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "etcd left running by an earlier berthd (pid {Pid}) stopped before starting {Name} again")]
    public static partial void LeftoverStopped(ILogger logger, int pid, string name);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Error, Message = "etcd member {Name} could not be restarted")]
    public static partial void RestartFailed(ILogger logger, string name, Exception exception);
}
