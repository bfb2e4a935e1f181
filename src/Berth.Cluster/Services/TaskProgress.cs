using System.Globalization;
using Berth.Runtime.Engine;

namespace Berth.Cluster.Services;

/// <summary>
/// What a task's container says of its task, as swarmkit's container controller reads it (moby
/// <c>daemon/cluster/executor/container/controller.go</c>): a running container is <c>running</c>, but one with a
/// healthcheck only from its first healthy probe (<c>starting</c> until then); a running container found unhealthy
/// is stopped by the agent (<see cref="MustStop"/>) and its task then fails with Docker's cause; an exited container
/// is <c>complete</c> (exit 0) or <c>failed</c> (its exit code).
/// </summary>
/// <param name="Message">The status message Docker shows (<c>started</c>, <c>starting</c>, <c>finished</c>, <c>failed</c>).</param>
/// <param name="Error">The task's <c>Err</c>, empty unless it failed.</param>
public sealed record TaskProgress(TaskState State, string Message, string Error)
{
    /// <summary>moby's <c>ErrContainerUnhealthy</c>, the cause a task stopped for its health fails with.</summary>
    public const string UnhealthyCause = "dockerexec: unhealthy container";

    /// <summary>The task's state from its container's status, exit code and health (null: no healthcheck); null while the container is neither running nor exited, or runs unhealthy (to be stopped first).</summary>
    public static TaskProgress? Of(ContainerStatus status, int exitCode, HealthStatus? health) => status switch
    {
        ContainerStatus.Running => health switch
        {
            null or HealthStatus.Healthy => new(TaskState.Running, "started", ""),
            HealthStatus.Starting => new(TaskState.Starting, "starting", ""),
            _ => null,
        },
        ContainerStatus.Exited when health == HealthStatus.Unhealthy => new(TaskState.Failed, "failed",
            exitCode != 0 ? $"{NonZeroExit(exitCode)}: {UnhealthyCause}" : "task: unhealthy container"),
        ContainerStatus.Exited when exitCode != 0 => new(TaskState.Failed, "failed", NonZeroExit(exitCode)),
        ContainerStatus.Exited => new(TaskState.Complete, "finished", ""),
        _ => null,
    };

    /// <summary>Whether the agent must stop the task's container: it runs, and its healthcheck found it unhealthy.</summary>
    public static bool MustStop(ContainerStatus status, HealthStatus? health) => status == ContainerStatus.Running && health == HealthStatus.Unhealthy;

    private static string NonZeroExit(int exitCode) => string.Create(CultureInfo.InvariantCulture, $"task: non-zero exit ({exitCode})");
}
