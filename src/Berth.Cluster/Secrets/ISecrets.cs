using Berth.Cluster.Identity;

namespace Berth.Cluster.Secrets;

/// <summary>
/// The swarm's secrets and configs as the <c>/secrets</c> and <c>/configs</c> routes ask them, on a manager (elsewhere
/// Docker's 503). Errors are Docker's (swarmkit <c>controlapi/secret.go</c>, <c>config.go</c>; moby
/// <c>daemon/cluster/helpers.go</c>): unknown NotFound, a name in use Conflict, a bad name or size InvalidArgument, an
/// update of anything but labels InvalidArgument, a removal while a service uses it InvalidArgument naming the services.
/// </summary>
public interface ISecrets
{
    Task<SecretId> CreateAsync(SecretKind kind, SecretSpec spec, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SecretView>> ListAsync(SecretKind kind, CancellationToken cancellationToken = default);

    /// <summary>By full id, exact name, or unique id prefix (moby's <c>getSecret</c> order).</summary>
    Task<SecretView> GetAsync(SecretKind kind, string idOrName, CancellationToken cancellationToken = default);

    /// <summary>Replaces the labels if <paramref name="version"/> is the record's; the name and data must stay as they are.</summary>
    Task UpdateAsync(SecretKind kind, string idOrName, long version, SecretSpec spec, CancellationToken cancellationToken = default);

    Task RemoveAsync(SecretKind kind, string idOrName, CancellationToken cancellationToken = default);
}

/// <summary>
/// What a manager hands a node for one of its tasks (the node channel's <c>GET /tasks/{id}/files</c> and
/// <c>/registry-auth</c>): the task's secrets, configs and registry credentials in clear, only to the node the task is
/// assigned to.
/// </summary>
public interface ITaskFileProvider
{
    Task<IReadOnlyList<TaskFileData>> TaskFilesAsync(NodeId requester, TaskId task, CancellationToken cancellationToken = default);

    /// <summary>
    /// The registry credentials the task's image is pulled with (its service's <c>--with-registry-auth</c>, as the client
    /// sent them), only to the task's own node; null when its service has none.
    /// </summary>
    Task<string?> TaskRegistryAuthAsync(NodeId requester, TaskId task, CancellationToken cancellationToken = default);
}
