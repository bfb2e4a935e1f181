using System.Net;
using System.Net.NetworkInformation;

namespace Berth.Network.Overlay;

/// <summary>
/// An endpoint of the overlay on another node: its address and MAC inside the overlay, and the VTEP
/// (the other node's underlay address) its frames are sent to. A dual-stack endpoint is two peers
/// with one MAC.
/// </summary>
public sealed record OverlayPeer(IPAddress Address, PhysicalAddress Mac, IPAddress Vtep)
{
    public override string ToString() => $"{Address} ({FormatMac(Mac)}) at {Vtep}";

    /// <summary>aa:bb:cc:dd:ee:ff, as <c>ip</c> and Docker print a MAC.</summary>
    internal static string FormatMac(PhysicalAddress mac) => string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
