namespace Berth.Linux.Nftables;

/// <summary>Which side of the connection NAT rewrites.</summary>
public enum NftNatKind
{
    /// <summary><c>snat</c>: the source.</summary>
    Snat,

    /// <summary><c>dnat</c>: the destination.</summary>
    Dnat,
}
