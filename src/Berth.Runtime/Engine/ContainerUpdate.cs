namespace Berth.Runtime.Engine;

/// <summary>
/// A <c>docker update</c> request (Docker's <c>UpdateConfig</c>): the resources to change, zero (empty, null) meaning
/// "keep" as in Docker's merge, except <see cref="Containers.ContainerResources.PidsLimit"/> where 0 means "unlimited"
/// and null "keep"; and the restart policy, null to keep it.
/// </summary>
public sealed record ContainerUpdate(Containers.ContainerResources Resources, RestartPolicy? RestartPolicy);
