using System.Net;
using System.Text;
using Berth.Core.Addressing;

namespace Berth.Linux.Nftables;

/// <summary>A network prefix: <c>10.0.0.0/24</c>. Host bits are cleared, as nft expects.</summary>
public sealed record NftPrefix : NftValue
{
    public NftPrefix(IPPrefix prefix)
    {
        Network = prefix.Network;
    }

    public NftPrefix(IPNetwork network)
    {
        Network = new IPPrefix(network.BaseAddress, network.PrefixLength).Network;
    }

    public IPNetwork Network { get; }

    public static NftPrefix Parse(string text) => new(IPPrefix.Parse(text));

    internal override void RenderTo(StringBuilder sb) =>
        sb.Append(Network.BaseAddress.ToString()).Append('/').Append(Network.PrefixLength);
}
