using Berth.Runtime.Images;

namespace Berth.Cluster.Services;

/// <summary>
/// How the agent gets a task's image onto this node (swarmkit's executor pulls in the task's preparing state):
/// <see cref="Has"/> says whether the reference is here (a digest-pinned one: pulled with that digest), and
/// <see cref="PullAsync"/> fetches it from its registry with the service's credentials (null: anonymous).
/// </summary>
public sealed record TaskImages(Func<string, bool> Has, Func<string, RegistryCredentials?, CancellationToken, Task> PullAsync);
