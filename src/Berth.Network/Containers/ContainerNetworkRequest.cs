using System.Collections.Immutable;
using Berth.Network.Endpoints;

namespace Berth.Network.Containers;

/// <summary>
/// How a container is networked: Docker's <c>HostConfig.NetworkMode</c> (<c>default</c>, <c>bridge</c>,
/// <c>host</c>, <c>none</c>, <c>container:&lt;id&gt;</c>, or a network) and its endpoints.
/// </summary>
public sealed record ContainerNetworkRequest
{
    public required string ContainerId { get; init; }

    public required string ContainerName { get; init; }

    public string NetworkMode { get; init; } = "default";

    /// <summary>The endpoints to make, in order; the first gives the default route. Empty means the network named by the mode.</summary>
    public ImmutableArray<EndpointRequest> Endpoints { get; init; } = [];

    /// <summary>For <c>container:&lt;id&gt;</c>: the namespace file of that container, resolved by the caller.</summary>
    public string? JoinNamespacePath { get; init; }

    /// <summary>
    /// Under berthd's <c>--userns-remap</c>: the existing user namespace the container's network namespace is made in
    /// (that of the container whose PID or IPC namespace it joins, which it must share); null: a new one.
    /// </summary>
    public string? UserNamespacePath { get; init; }
}
