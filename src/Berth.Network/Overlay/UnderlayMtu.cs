using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;

namespace Berth.Network.Overlay;

/// <summary>
/// The MTU the underlay gives an overlay: that of the link carrying this node's VTEP address, less what
/// VXLAN adds to every frame. Docker defaults to 1450 whatever the underlay is; on an underlay of 1400
/// that makes large packets vanish or fragment.
/// </summary>
public static class UnderlayMtu
{
    /// <summary>Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 (RFC 7348 §5).</summary>
    public const int VxlanOverheadIPv4 = 50;

    /// <summary>Outer Ethernet 14 + IPv6 40 + UDP 8 + VXLAN 8.</summary>
    public const int VxlanOverheadIPv6 = 70;

    /// <summary>
    /// The MTU of the link in <paramref name="host"/> that holds <paramref name="localAddress"/>; if no link
    /// holds it, that of the link the route to it leaves by.
    /// </summary>
    public static int Of(NetworkNamespace host, IPAddress localAddress)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(localAddress);
        foreach (var address in host.Rtnl.Addresses.List(family: localAddress.AddressFamily))
        {
            if (address.Address.Address.Equals(localAddress))
            {
                return host.Links.Get(LinkRef.ByIndex(address.LinkIndex)).Mtu;
            }
        }

        var route = host.Rtnl.Routes.Lookup(localAddress);
        return route.OutputInterface is { } index
            ? host.Links.Get(LinkRef.ByIndex(index)).Mtu
            : throw new BerthException(ErrorKind.NotFound,
                $"no link in {host} holds {localAddress} and no route to it names a link; give the address of an interface of this node");
    }

    /// <summary>What VXLAN adds to a frame sent from <paramref name="vtep"/>.</summary>
    public static int VxlanOverhead(IPAddress vtep)
    {
        ArgumentNullException.ThrowIfNull(vtep);
        return vtep.AddressFamily == AddressFamily.InterNetworkV6 ? VxlanOverheadIPv6 : VxlanOverheadIPv4;
    }

    /// <summary>The largest overlay MTU the underlay carries without fragmenting: <see cref="Of"/> less the VXLAN overhead.</summary>
    public static int OverlayOf(NetworkNamespace host, IPAddress localAddress) => Of(host, localAddress) - VxlanOverhead(localAddress);
}
