using Berth.Cluster.Identity;

namespace Berth.Cluster.Secrets;

/// <summary>
/// How the agent gets a task's secrets and configs before it makes the task's container: <see cref="Fetch"/> (a
/// manager opens them itself; a worker asks a manager over the node channel) and <see cref="Mounts"/> (the tmpfs).
/// </summary>
public sealed record TaskFileDelivery(Func<TaskId, CancellationToken, Task<IReadOnlyList<TaskFileData>>> Fetch, TaskFileMounts Mounts);
