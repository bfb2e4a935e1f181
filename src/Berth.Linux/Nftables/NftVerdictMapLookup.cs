using System.Text;

namespace Berth.Linux.Nftables;

/// <summary><c>selector vmap @map</c>: the verdict comes from a verdict map, e.g. <c>iifname vmap @bridges</c>.</summary>
public sealed record NftVerdictMapLookup : NftStatement
{
    public NftVerdictMapLookup(NftSelector key, string mapName)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        MapName = NftText.Identifier(mapName, "verdict map name");
    }

    public NftSelector Key { get; }

    public string MapName { get; }

    internal override void RenderTo(StringBuilder sb) => sb.Append(Key.Render()).Append(" vmap @").Append(MapName);
}
