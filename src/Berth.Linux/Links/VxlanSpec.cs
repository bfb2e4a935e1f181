using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux.Netlink;

namespace Berth.Linux.Links;

/// <summary>A VXLAN tunnel endpoint (RFC 7348).</summary>
public sealed record VxlanSpec : LinkSpec
{
    /// <summary>The IANA-assigned VXLAN UDP port.</summary>
    public const ushort DefaultPort = 4789;

    /// <summary>A VNI is 24 bits wide.</summary>
    public const uint MaxVni = (1 << 24) - 1;

    public VxlanSpec(string name, uint vni)
        : base(name)
    {
        if (vni > MaxVni)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"VXLAN id {vni} of \"{name}\" is out of range; a VNI is 0 to {MaxVni}");
        }

        Vni = vni;
    }

    public override string Kind => "vxlan";

    public uint Vni { get; }

    /// <summary>Source address of the outer packets (IPv4 or IPv6).</summary>
    public IPAddress? Local { get; init; }

    /// <summary>A multicast group or a single remote; null means FDB entries decide (NTF_SELF with NDA_DST).</summary>
    public IPAddress? Remote { get; init; }

    public ushort Port { get; init; } = DefaultPort;

    /// <summary>The underlay link the outer packets leave from.</summary>
    public LinkRef? Underlay { get; init; }

    /// <summary>Learn remote MACs from received packets; off when the control plane programs the FDB.</summary>
    public bool Learning { get; init; } = true;

    /// <summary>
    /// Answer ARP requests and IPv6 neighbour solicitations from the device's own neighbour table
    /// (IFLA_VXLAN_PROXY) instead of sending them to remote VTEPs; with no entry the request is dropped.
    /// </summary>
    public bool Proxy { get; init; }

    public byte? Ttl { get; init; }

    internal override IEnumerable<LinkRef> Dependencies() => Underlay is { } underlay ? [underlay] : [];

    internal override void WriteInfoData(NetlinkMessageWriter writer, ResolvedLinks resolved)
    {
        writer.WriteU32(LinkAttributes.VxlanId, Vni);
        if (Local is not null)
        {
            writer.WriteAddress(Local.AddressFamily == AddressFamily.InterNetworkV6 ? LinkAttributes.VxlanLocal6 : LinkAttributes.VxlanLocal, Local);
        }

        if (Remote is not null)
        {
            writer.WriteAddress(Remote.AddressFamily == AddressFamily.InterNetworkV6 ? LinkAttributes.VxlanGroup6 : LinkAttributes.VxlanGroup, Remote);
        }

        if (Underlay is { } underlay)
        {
            writer.WriteU32(LinkAttributes.VxlanLink, (uint)resolved[underlay]);
        }

        if (Ttl is { } ttl)
        {
            writer.WriteU8(LinkAttributes.VxlanTtl, ttl);
        }

        writer.WriteU8(LinkAttributes.VxlanLearning, Learning ? (byte)1 : (byte)0);
        if (Proxy)
        {
            writer.WriteU8(LinkAttributes.VxlanProxy, 1);
        }

        writer.WriteU16BigEndian(LinkAttributes.VxlanPort, Port);
    }
}
