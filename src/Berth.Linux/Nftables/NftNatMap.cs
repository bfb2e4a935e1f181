using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// NAT whose target comes from a map: <c>dnat ip to ip daddr . tcp dport map @portmap</c>. The map's data type is
/// an address or <c>address . inet_service</c>.
/// </summary>
public sealed record NftNatMap : NftStatement
{
    public NftNatMap(NftNatKind kind, bool ipv6, NftSelector key, string mapName)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Enum.IsDefined(kind))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"NAT kind {(int)kind} is not defined; use Snat or Dnat");
        }

        Kind = kind;
        IPv6 = ipv6;
        Key = key;
        MapName = NftText.Identifier(mapName, "NAT map name");
    }

    public NftNatKind Kind { get; }

    public bool IPv6 { get; }

    public NftSelector Key { get; }

    public string MapName { get; }

    internal override void RenderTo(StringBuilder sb) =>
        sb.Append(Kind == NftNatKind.Snat ? "snat " : "dnat ").Append(IPv6 ? "ip6 to " : "ip to ")
            .Append(Key.Render()).Append(" map @").Append(MapName);
}
