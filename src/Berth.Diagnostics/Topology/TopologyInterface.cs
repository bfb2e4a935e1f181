using System.Collections.Immutable;

namespace Berth.Diagnostics.Topology;

/// <summary>
/// A host interface the picture needs: the way to the LAN (default route), a macvlan network's parent, or a bridge.
/// <see cref="Lower"/> is the link it sits on (<c>eth0</c> under <c>eth0.10</c>); <see cref="Roles"/> say why it is shown.
/// </summary>
public sealed record TopologyInterface(string Name, ImmutableArray<string> Addresses, string State, int Mtu, ImmutableArray<string> Roles)
{
    public string? Lower { get; init; }

    /// <summary>The default route leaves through it: the host's way to its LAN.</summary>
    public bool DefaultRoute => Roles.Contains(TopologyRoles.DefaultRoute);
}
