using Berth.Linux.Netlink;

namespace Berth.Linux.Links;

/// <summary>A macvlan on a parent link; with <see cref="LinkSpec.Namespace"/> it is created straight into a container's namespace.</summary>
public sealed record MacvlanSpec : LinkSpec
{
    public MacvlanSpec(string name, LinkRef parent, MacvlanMode mode = MacvlanMode.Bridge)
        : base(name)
    {
        Parent = parent;
        Mode = mode;
    }

    public override string Kind => "macvlan";

    /// <summary>The parent link, in the socket's namespace.</summary>
    public LinkRef Parent { get; }

    public MacvlanMode Mode { get; }

    internal override IEnumerable<LinkRef> Dependencies() => [Parent];

    internal override void WriteInfoData(NetlinkMessageWriter writer, ResolvedLinks resolved) =>
        writer.WriteU32(LinkAttributes.MacvlanMode, (uint)Mode);

    internal override void WriteTopLevel(NetlinkMessageWriter writer, ResolvedLinks resolved) =>
        writer.WriteU32(LinkAttributes.Link, (uint)resolved[Parent]);
}
