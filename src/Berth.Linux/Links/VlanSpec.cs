using Berth.Core.Errors;
using Berth.Linux.Netlink;

namespace Berth.Linux.Links;

/// <summary>An 802.1Q VLAN sub-interface of a parent, such as <c>eth0.10</c> (needs CONFIG_VLAN_8021Q).</summary>
public sealed record VlanSpec : LinkSpec
{
    /// <summary>IFLA_VLAN_ID.</summary>
    private const ushort VlanIdAttribute = 1;

    /// <summary>VLAN ids 0 and 4095 are reserved (IEEE 802.1Q).</summary>
    public const int MaxVlanId = 4094;

    public VlanSpec(string name, LinkRef parent, int vlanId)
        : base(name)
    {
        if (vlanId is < 1 or > MaxVlanId)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"VLAN id {vlanId} of \"{name}\" is out of range; use 1 to {MaxVlanId}");
        }

        Parent = parent;
        VlanId = vlanId;
    }

    public override string Kind => "vlan";

    public override string KernelOption => "CONFIG_VLAN_8021Q";

    public LinkRef Parent { get; }

    public int VlanId { get; }

    internal override IEnumerable<LinkRef> Dependencies() => [Parent];

    internal override void WriteInfoData(NetlinkMessageWriter writer, ResolvedLinks resolved) =>
        writer.WriteU16(VlanIdAttribute, (ushort)VlanId);

    internal override void WriteTopLevel(NetlinkMessageWriter writer, ResolvedLinks resolved) =>
        writer.WriteU32(LinkAttributes.Link, (uint)resolved[Parent]);
}
