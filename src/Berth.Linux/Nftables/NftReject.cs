using System.Text;

namespace Berth.Linux.Nftables;

/// <summary><c>reject</c>, or <c>reject with tcp reset</c> when <paramref name="TcpReset"/> is set.</summary>
public sealed record NftReject(bool TcpReset = false) : NftStatement
{
    internal override void RenderTo(StringBuilder sb) => sb.Append(TcpReset ? "reject with tcp reset" : "reject");
}
