using System.Text;

namespace Berth.Linux.Nftables;

/// <summary><c>counter</c>: an anonymous packet and byte counter.</summary>
public sealed record NftCounter : NftStatement
{
    public static NftCounter Instance { get; } = new();

    internal override void RenderTo(StringBuilder sb) => sb.Append("counter");
}
