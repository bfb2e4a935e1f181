namespace Berth.Runtime.Engine;

/// <summary>Containers' lifecycle as the API drives it, with Docker's errors. Work on one container is serialised; different containers proceed in parallel.</summary>
public interface IContainerLifecycle
{
    Task<ContainerRecord> CreateAsync(ContainerCreateSpec spec, string? name, CancellationToken cancellationToken = default);

    /// <summary>Starts a created or exited container; false when it was already running (Docker's 304).</summary>
    Task<bool> StartAsync(string idOrName, CancellationToken cancellationToken = default);

    /// <summary>The stop signal, then SIGKILL after <paramref name="timeout"/>; nulls take the container's <c>--stop-signal</c>/<c>--stop-timeout</c> (else SIGTERM, 10 s).</summary>
    Task StopAsync(string idOrName, TimeSpan? timeout, string? signal = null, CancellationToken cancellationToken = default);

    Task KillAsync(string idOrName, string signal, CancellationToken cancellationToken = default);

    Task RestartAsync(string idOrName, TimeSpan? timeout, string? signal = null, CancellationToken cancellationToken = default);

    /// <summary>Waits for a condition (<c>not-running</c>, <c>next-exit</c>, <c>removed</c>) and returns the exit code.</summary>
    Task<int> WaitAsync(string idOrName, string condition, CancellationToken cancellationToken = default);

    Task RemoveAsync(string idOrName, bool force, bool removeVolumes, CancellationToken cancellationToken = default);

    Task RenameAsync(string idOrName, string newName, CancellationToken cancellationToken = default);

    /// <summary><c>docker rm --link /parent/alias</c>: the parent's legacy link of that alias goes; the linked container stays.</summary>
    Task RemoveLinkAsync(string linkName, CancellationToken cancellationToken = default);

    /// <summary><c>docker container prune</c>: every container that is not running and <paramref name="matches"/> is removed (its volumes stay).</summary>
    Task<ContainerPruneResult> PruneAsync(Func<ContainerRecord, bool> matches, CancellationToken cancellationToken = default);
}
