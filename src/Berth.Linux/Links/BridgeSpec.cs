using Berth.Linux.Netlink;

namespace Berth.Linux.Links;

/// <summary>A Linux bridge.</summary>
public sealed record BridgeSpec : LinkSpec
{
    public BridgeSpec(string name)
        : base(name)
    {
    }

    public override string Kind => "bridge";

    /// <summary>IFLA_BR_VLAN_FILTERING; null leaves the kernel default (off).</summary>
    public bool? VlanFiltering { get; init; }

    /// <summary>IFLA_BR_STP_STATE; null leaves the kernel default (off).</summary>
    public bool? Stp { get; init; }

    internal override void WriteInfoData(NetlinkMessageWriter writer, ResolvedLinks resolved)
    {
        if (VlanFiltering is { } filtering)
        {
            writer.WriteU8(LinkAttributes.BridgeVlanFiltering, filtering ? (byte)1 : (byte)0);
        }

        if (Stp is { } stp)
        {
            writer.WriteU32(LinkAttributes.BridgeStpState, stp ? 1u : 0u);
        }
    }
}
