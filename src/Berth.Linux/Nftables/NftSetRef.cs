using System.Text;

namespace Berth.Linux.Nftables;

/// <summary>A named set used as the right side of a match: <c>@allowed</c>.</summary>
public sealed record NftSetRef : NftValue
{
    public NftSetRef(string setName)
    {
        SetName = NftText.Identifier(setName, "set name");
    }

    public string SetName { get; }

    internal override void RenderTo(StringBuilder sb) => sb.Append('@').Append(SetName);
}
