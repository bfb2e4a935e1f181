using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using Berth.Linux.Namespaces;
using Berth.Linux.Netlink;

namespace Berth.Linux.Links;

/// <summary>
/// A veth pair. The peer can be created directly inside another namespace and named there
/// (e.g. <c>eth0</c>). The peer cannot be brought up in the creating message (the kernel answers
/// ENOTCONN): bring it up afterwards from a socket in its namespace.
/// </summary>
public sealed record VethSpec : LinkSpec
{
    public VethSpec(string name, string peerName)
        : base(name)
    {
        PeerName = LinkName.Validate(peerName);
    }

    public override string Kind => "veth";

    public string PeerName { get; }

    /// <summary>The namespace of the peer (an open netns file); null keeps it beside the first end.</summary>
    public NetnsHandle? PeerNamespace { get; init; }

    public PhysicalAddress? PeerMacAddress { get; init; }

    /// <summary>The peer's MTU; defaults to <see cref="LinkSpec.Mtu"/>.</summary>
    public int? PeerMtu { get; init; }

    internal override void WriteInfoData(NetlinkMessageWriter writer, ResolvedLinks resolved)
    {
        var peer = writer.BeginEmbedded(LinkAttributes.VethPeer);
        writer.WriteStruct(new IfInfoMessage());
        writer.WriteString(LinkAttributes.IfName, PeerName);
        if ((PeerMtu ?? Mtu) is { } mtu)
        {
            writer.WriteU32(LinkAttributes.Mtu, (uint)mtu);
        }

        if (PeerMacAddress is not null)
        {
            writer.WriteAttribute(LinkAttributes.Address, PeerMacAddress.GetAddressBytes());
        }

        if (PeerNamespace is not null)
        {
            writer.WriteU32(LinkAttributes.NetNsFd, (uint)PeerNamespace.Fd);
        }

        writer.EndNested(peer);
    }
}
