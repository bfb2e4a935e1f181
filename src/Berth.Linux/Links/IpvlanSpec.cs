using Berth.Linux.Netlink;

namespace Berth.Linux.Links;

/// <summary>An ipvlan on a parent (needs CONFIG_IPVLAN).</summary>
public sealed record IpvlanSpec : LinkSpec
{
    /// <summary>IFLA_IPVLAN_MODE.</summary>
    private const ushort ModeAttribute = 1;

    public IpvlanSpec(string name, LinkRef parent, IpvlanMode mode = IpvlanMode.L2)
        : base(name)
    {
        Parent = parent;
        Mode = mode;
    }

    public override string Kind => "ipvlan";

    public LinkRef Parent { get; }

    public IpvlanMode Mode { get; }

    internal override IEnumerable<LinkRef> Dependencies() => [Parent];

    internal override void WriteInfoData(NetlinkMessageWriter writer, ResolvedLinks resolved) =>
        writer.WriteU16(ModeAttribute, (ushort)Mode);

    internal override void WriteTopLevel(NetlinkMessageWriter writer, ResolvedLinks resolved) =>
        writer.WriteU32(LinkAttributes.Link, (uint)resolved[Parent]);
}
