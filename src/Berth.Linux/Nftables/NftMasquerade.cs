using System.Text;

namespace Berth.Linux.Nftables;

/// <summary><c>masquerade</c>: source NAT to the outgoing interface's address.</summary>
public sealed record NftMasquerade : NftStatement
{
    public static NftMasquerade Instance { get; } = new();

    internal override void RenderTo(StringBuilder sb) => sb.Append("masquerade");
}
