using System.Collections.Immutable;
using System.Net;
using Berth.Core.Addressing;
using Berth.Core.Networks;

namespace Berth.Network.Overlay;

/// <summary>
/// What one overlay network needs on this node: its VXLAN id, the gateway addresses its bridge holds
/// (as Docker puts them on the sandbox's br0), the overlay MTU (see <see cref="UnderlayMtu"/>), this
/// node's VTEP address (the source of the outer packets) and the VXLAN UDP port.
/// </summary>
public sealed record OverlaySandboxSpec(NetworkId Network, uint Vni, ImmutableArray<IPPrefix> Gateways, int Mtu, IPAddress LocalVtep, ushort Port = 4789);
