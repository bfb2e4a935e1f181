namespace Berth.Network.Drivers;

/// <summary>The overlay driver's option keys (Docker's).</summary>
public static class OverlayOptions
{
    public const string Mtu = "com.docker.network.driver.mtu";

    /// <summary>The VNI(s) asked for, comma separated, one per subnet (Docker's <c>vxlanid_list</c>).</summary>
    public const string VxlanIdList = "com.docker.network.driver.overlay.vxlanid_list";

    /// <summary><c>--opt encrypted</c>: IPsec in Docker; Berth's sealed data path (docs/encrypted-overlay.md).</summary>
    public const string Encrypted = "encrypted";

    public static readonly IReadOnlyCollection<string> Known = [Mtu, VxlanIdList, Encrypted];

    /// <summary>Driver-state key of the VNI the network's VXLAN carries.</summary>
    internal const string StateVni = "vni";

    /// <summary>Docker's first VNI (libnetwork's overlay driver starts its range at 4096; the first one handed out is 4097).</summary>
    public const uint FirstVni = 4097;

    /// <summary>VXLAN's outer headers on IPv4: outer IP 20 + UDP 8 + VXLAN 8 + inner Ethernet 14.</summary>
    public const int Overhead = 50;

    /// <summary>
    /// The sealed data path's on an IPv4 underlay: outer IP 20 + UDP 8 + sealed header 24 + tag 16 + virtio_net_hdr 10 +
    /// inner Ethernet 14 (docs/encrypted-overlay.md), so that a full-size frame is one datagram.
    /// </summary>
    public const int SealedOverhead = 92;

    public static int OverheadOf(bool encrypted) => encrypted ? SealedOverhead : Overhead;
}
