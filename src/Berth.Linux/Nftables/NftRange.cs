using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>An inclusive range of two values of the same kind: <c>8000-8100</c>, <c>10.0.0.1-10.0.0.9</c>.</summary>
public sealed record NftRange : NftValue
{
    public NftRange(NftValue low, NftValue high)
    {
        ArgumentNullException.ThrowIfNull(low);
        ArgumentNullException.ThrowIfNull(high);
        if (low.GetType() != high.GetType() || low is not (NftAddress or NftPort or NftInteger or NftMac))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"nftables range {low.Render()}-{high.Render()} is not valid; both ends must be addresses, ports, integers or MAC addresses of the same kind");
        }

        Low = low;
        High = high;
    }

    public NftValue Low { get; }

    public NftValue High { get; }

    internal override void RenderTo(StringBuilder sb)
    {
        Low.RenderTo(sb);
        sb.Append('-');
        High.RenderTo(sb);
    }
}
