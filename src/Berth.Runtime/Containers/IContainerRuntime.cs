using Berth.Linux.Namespaces;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Containers;

/// <summary>
/// The OCI runtime as the container engine drives it: runc (or crun) under conmon in berthd
/// (<see cref="ContainerRuntime"/>), a fake in the engine's unit tests. Ids are the containers' full ids as runc
/// names them.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>conmon's <c>--log-size-max</c>: a log past it starts over at the next run (null: unbounded).</summary>
    long? LogSizeMax { get; }

    /// <summary>berthd's <c>--userns-remap</c> mapping, which containers run under unless they opt out; null when it does not remap.</summary>
    IdentityMapping? UserNamespace => null;

    /// <summary>Whether the runtime has state for the container (made and not yet deleted).</summary>
    bool Exists(string id);

    /// <summary>The runtime's view of the container (running, stopped …); NotFound when it has no state for it.</summary>
    Task<ContainerState> StateAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Writes the bundle and has conmon run <c>runc create</c>; the container's init exists, not started.</summary>
    Task<ConmonResult> CreateAsync(ContainerSpec spec, string bundleDirectory, CancellationToken cancellationToken = default);

    /// <summary>Releases the created container's init (<c>runc start</c>).</summary>
    Task StartAsync(string id, CancellationToken cancellationToken = default);

    Task KillAsync(string id, string signal, CancellationToken cancellationToken = default);

    /// <summary>SIGTERM, SIGKILL after <paramref name="timeout"/>; returns the exit code.</summary>
    Task<int> StopAsync(string id, TimeSpan timeout, string signal, CancellationToken cancellationToken = default);

    /// <summary>Freezes the running container's processes (<c>runc pause</c>).</summary>
    Task PauseAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Thaws a paused container (<c>runc resume</c>).</summary>
    Task ResumeAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Applies new limits to the running container's cgroup (<c>runc update</c>).</summary>
    Task UpdateResourcesAsync(string id, ContainerResources resources, CancellationToken cancellationToken = default);

    /// <summary>Waits for the container's exit and returns its code (128+N for signal N).</summary>
    Task<int> WaitAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes the container's runtime state, rootfs mount and bundle (<paramref name="force"/>: a running one is killed).</summary>
    Task DeleteAsync(string id, bool force, CancellationToken cancellationToken = default);

    /// <summary>
    /// What a delete cut short by a crash left of a container the runtime no longer knows: its rootfs unmounted, its
    /// bundle (<paramref name="bundleDirectory"/>) and exit file removed.
    /// </summary>
    Task CleanUpAsync(string id, string bundleDirectory, CancellationToken cancellationToken = default);

    Task<IContainerStdin> ConnectStdinAsync(string id, CancellationToken cancellationToken = default);

    Task ResizeAsync(string id, uint height, uint width, CancellationToken cancellationToken = default);

    /// <summary>Runs one more process in the running container (<c>runc exec</c>), as the caller's child.</summary>
    Task<ExecProcess> ExecAsync(string id, ExecPaths paths, OciProcess process, CancellationToken cancellationToken = default);
}
