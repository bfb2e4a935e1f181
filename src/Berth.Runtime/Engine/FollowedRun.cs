namespace Berth.Runtime.Engine;

/// <summary>
/// The run of a container a client follows (an attach, <c>logs -f</c>): the one running when the client
/// came, else the next one to start (<c>docker run</c> and <c>docker start -a</c> attach before they start).
/// </summary>
public sealed record FollowedRun(bool WasRunning, DateTimeOffset? StartedAt)
{
    public static FollowedRun Of(ContainerRecord record) => new(record.Status == ContainerStatus.Running, record.StartedAt);

    /// <summary>Whether that run has ended, given the container's record now (null: it was removed).</summary>
    public bool IsOver(ContainerRecord? now) =>
        now is null || (now.Status == ContainerStatus.Exited && (WasRunning || now.StartedAt != StartedAt));
}
