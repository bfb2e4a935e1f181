using System.Collections.Immutable;
using Berth.Network.Endpoints;

namespace Berth.Network.Containers;

/// <summary>
/// What a container's process will be started into: the network namespace file to name in the OCI
/// spec (null: the host's own, for <c>--network host</c>), whether Berth owns that namespace, and the
/// endpoints made in it.
/// </summary>
public sealed record ContainerNetworkState(string? NamespacePath, bool OwnsNamespace, ImmutableArray<EndpointState> Endpoints);
