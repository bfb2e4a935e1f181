using System.Collections.Immutable;
using System.Net;
using Berth.Core.Addressing;
using Berth.Core.Networks;

namespace Berth.Network.Overlay;

/// <summary>
/// What one overlay network needs on this node: its VXLAN id, the gateway addresses its bridge holds
/// (as Docker puts them on the sandbox's br0), the overlay MTU (see <see cref="UnderlayMtu"/>), this
/// node's VTEP address (the source of the outer packets) and the VXLAN UDP port. An encrypted network's sandbox holds
/// the TAP of the sealed data path (<see cref="Sealed.SealedPath"/>) in place of vxlan0.
/// </summary>
public sealed record OverlaySandboxSpec(NetworkId Network, uint Vni, ImmutableArray<IPPrefix> Gateways, int Mtu, IPAddress LocalVtep, ushort Port = 4789)
{
    /// <summary><c>--opt encrypted</c>: frames leave this node only sealed, by berthd, never through a kernel VXLAN device.</summary>
    public bool Encrypted { get; init; }
}
