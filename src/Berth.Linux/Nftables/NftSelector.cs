using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// The left side of a match or the key of a map lookup: <c>ip daddr</c>, <c>tcp dport</c>, <c>iifname</c>, or a
/// concatenation of them (<c>ip daddr . tcp dport</c>). Only the fixed catalogue below exists, so its text is safe.
/// </summary>
public sealed record NftSelector
{
    private NftSelector(ImmutableArray<string> parts)
    {
        Parts = parts;
    }

    public ImmutableArray<string> Parts { get; }

    public static NftSelector IpSaddr { get; } = Of("ip saddr");

    public static NftSelector IpDaddr { get; } = Of("ip daddr");

    public static NftSelector IpProtocol { get; } = Of("ip protocol");

    public static NftSelector Ip6Saddr { get; } = Of("ip6 saddr");

    public static NftSelector Ip6Daddr { get; } = Of("ip6 daddr");

    public static NftSelector MetaL4Proto { get; } = Of("meta l4proto");

    public static NftSelector MetaMark { get; } = Of("meta mark");

    public static NftSelector TcpSport { get; } = Of("tcp sport");

    public static NftSelector TcpDport { get; } = Of("tcp dport");

    public static NftSelector UdpSport { get; } = Of("udp sport");

    public static NftSelector UdpDport { get; } = Of("udp dport");

    /// <summary><c>th dport</c>: the destination port of whatever transport header follows (tcp, udp, sctp).</summary>
    public static NftSelector ThDport { get; } = Of("th dport");

    public static NftSelector ThSport { get; } = Of("th sport");

    public static NftSelector Iifname { get; } = Of("iifname");

    public static NftSelector Oifname { get; } = Of("oifname");

    public static NftSelector CtState { get; } = Of("ct state");

    /// <summary><c>ct status</c>: conntrack status bits, e.g. <c>dnat</c> (<see cref="NftSymbol.Dnat"/>).</summary>
    public static NftSelector CtStatus { get; } = Of("ct status");

    /// <summary><c>fib daddr type</c>: the route type of the destination, e.g. <c>local</c> (<see cref="NftSymbol.Local"/>).</summary>
    public static NftSelector FibDaddrType { get; } = Of("fib daddr type");

    public static NftSelector EtherSaddr { get; } = Of("ether saddr");

    public static NftSelector EtherDaddr { get; } = Of("ether daddr");

    /// <summary>A concatenation of selectors: <c>ip daddr . tcp dport</c>.</summary>
    public static NftSelector Concat(params NftSelector[] parts)
    {
        if (parts is null || parts.Length < 2)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "an nftables selector concatenation needs at least two selectors");
        }

        return new NftSelector([.. parts.SelectMany(p => p.Parts)]);
    }

    public bool Equals(NftSelector? other) => other is not null && Parts.SequenceEqual(other.Parts);

    public override int GetHashCode() => Parts.Aggregate(17, (h, p) => HashCode.Combine(h, p));

    public string Render() => string.Join(" . ", Parts);

    private static NftSelector Of(string text) => new([text]);
}
