using System.Net;
using System.Net.NetworkInformation;

namespace Berth.Network.Overlay;

/// <summary>
/// One kernel write of a peer plan: <see cref="Mac"/> always; <see cref="Address"/> for neighbour
/// operations; <see cref="Vtep"/> for <see cref="PeerOperationKind.SetRemote"/>.
/// </summary>
internal readonly record struct PeerOperation(PeerOperationKind Kind, PhysicalAddress Mac, IPAddress? Address = null, IPAddress? Vtep = null)
{
    public override string ToString() => Kind switch
    {
        PeerOperationKind.SetRemote => $"{Kind} {OverlayPeer.FormatMac(Mac)} dst {Vtep}",
        PeerOperationKind.SetNeighbour => $"{Kind} {Address} lladdr {OverlayPeer.FormatMac(Mac)}",
        PeerOperationKind.DeleteNeighbour => $"{Kind} {Address}",
        _ => $"{Kind} {OverlayPeer.FormatMac(Mac)}",
    };
}
