using Berth.Cluster.Identity;

namespace Berth.Cluster.Secrets;

/// <summary>
/// How the agent gets a task's secrets and configs before it makes the task's container: <see cref="Fetch"/> (a
/// manager opens them itself; a worker asks a manager over the node channel) and <see cref="Mounts"/> (the tmpfs);
/// the same way <see cref="FetchRegistryAuth"/>, the registry credentials its image is pulled with (null: none).
/// </summary>
public sealed record TaskFileDelivery(
    Func<TaskId, CancellationToken, Task<IReadOnlyList<TaskFileData>>> Fetch,
    TaskFileMounts Mounts,
    Func<TaskId, CancellationToken, Task<string?>>? FetchRegistryAuth = null);
