namespace Berth.Linux.Nftables;

/// <summary>An nft data type usable as a set key or map data; concatenate them with <see cref="NftType"/>.</summary>
public enum NftBasicType
{
    /// <summary><c>ipv4_addr</c></summary>
    Ipv4Addr,

    /// <summary><c>ipv6_addr</c></summary>
    Ipv6Addr,

    /// <summary><c>inet_service</c> (a port)</summary>
    InetService,

    /// <summary><c>inet_proto</c></summary>
    InetProto,

    /// <summary><c>ifname</c></summary>
    Ifname,

    /// <summary><c>ether_addr</c></summary>
    EtherAddr,

    /// <summary><c>mark</c></summary>
    Mark,

    /// <summary><c>verdict</c>, only as the data type of a verdict map.</summary>
    Verdict,
}
