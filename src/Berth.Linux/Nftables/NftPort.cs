using System.Text;

namespace Berth.Linux.Nftables;

/// <summary>A TCP/UDP/SCTP port (<c>inet_service</c>): <c>8080</c>.</summary>
public sealed record NftPort(ushort Number) : NftValue
{
    internal override void RenderTo(StringBuilder sb) => sb.Append(Number);
}
