using System.Collections.Immutable;

namespace Berth.Core.Networks;

/// <summary>
/// A network as Berth holds it: the request, what IPAM and the driver settled, and its phase.
/// Immutable; replaced whole and persisted.
/// </summary>
public sealed record NetworkState
{
    public required NetworkId Id { get; init; }

    public required NetworkConfig Config { get; init; }

    public required DateTimeOffset Created { get; init; }

    public ImmutableArray<SubnetAllocation> Subnets { get; init; } = [];

    /// <summary>What the driver made and must find again (e.g. <c>bridge</c> → device name, <c>parent</c>, <c>vlan_created</c>).</summary>
    public ImmutableDictionary<string, string> DriverState { get; init; } = ImmutableDictionary<string, string>.Empty;

    public NetworkPhase Phase { get; init; } = NetworkPhase.Creating;

    /// <summary>bridge, host and none: made by berthd itself, never removed.</summary>
    public bool Predefined { get; init; }

    public string Name => Config.Name;

    public string Driver => Config.Driver;
}
