namespace Berth.Linux.Nftables;

/// <summary>An nftables address family; a table lives in exactly one.</summary>
public enum NftFamily
{
    Ip,
    Ip6,
    Inet,
    Arp,
    Bridge,
    Netdev,
}
