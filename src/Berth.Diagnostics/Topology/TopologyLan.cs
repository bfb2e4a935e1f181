using System.Collections.Immutable;

namespace Berth.Diagnostics.Topology;

/// <summary>A LAN as the picture shows it: the host interface on it (null when the host has no such link) and its macvlan networks.</summary>
internal sealed record TopologyLan(string Name, TopologyInterface? Interface, ImmutableArray<TopologyNetwork> Networks);
