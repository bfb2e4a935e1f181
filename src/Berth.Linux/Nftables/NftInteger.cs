using System.Text;

namespace Berth.Linux.Nftables;

/// <summary>A plain unsigned number, such as a mark: <c>42</c>.</summary>
public sealed record NftInteger(ulong Value) : NftValue
{
    internal override void RenderTo(StringBuilder sb) => sb.Append(Value);
}
