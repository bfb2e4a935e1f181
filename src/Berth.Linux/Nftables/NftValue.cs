using System.Text;

namespace Berth.Linux.Nftables;

/// <summary>
/// A typed value in a rule or a set element. Only this assembly derives from it, and every subtype checks its
/// content when constructed, so rendering can never produce text the caller did not intend.
/// </summary>
public abstract record NftValue
{
    private protected NftValue()
    {
    }

    /// <summary>The value as nft text, e.g. <c>10.0.0.1</c>, <c>"br0"</c>, <c>10.0.0.2 . 80</c>.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        RenderTo(sb);
        return sb.ToString();
    }

    internal abstract void RenderTo(StringBuilder sb);
}
