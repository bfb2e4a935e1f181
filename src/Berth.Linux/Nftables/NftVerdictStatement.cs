using System.Text;

namespace Berth.Linux.Nftables;

/// <summary>A verdict ending a rule: <c>accept</c>, <c>jump fwd_abc</c>, ...</summary>
public sealed record NftVerdictStatement(NftVerdict Verdict) : NftStatement
{
    internal override void RenderTo(StringBuilder sb) => Verdict.RenderTo(sb);
}
