using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>A set key or map data type, possibly concatenated: <c>ipv4_addr . inet_service</c>.</summary>
public sealed record NftType
{
    public NftType(ImmutableArray<NftBasicType> parts)
    {
        if (parts.IsDefaultOrEmpty || parts.Any(p => !Enum.IsDefined(p)))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "nftables data type needs at least one defined basic type");
        }

        if (parts.Length > 1 && parts.Contains(NftBasicType.Verdict))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "nftables type \"verdict\" cannot be part of a concatenation");
        }

        Parts = parts;
    }

    public ImmutableArray<NftBasicType> Parts { get; }

    public bool IsVerdict => Parts is [NftBasicType.Verdict];

    public static NftType Ipv4Addr { get; } = Of(NftBasicType.Ipv4Addr);

    public static NftType Ipv6Addr { get; } = Of(NftBasicType.Ipv6Addr);

    public static NftType InetService { get; } = Of(NftBasicType.InetService);

    public static NftType InetProto { get; } = Of(NftBasicType.InetProto);

    public static NftType Ifname { get; } = Of(NftBasicType.Ifname);

    public static NftType EtherAddr { get; } = Of(NftBasicType.EtherAddr);

    public static NftType Mark { get; } = Of(NftBasicType.Mark);

    public static NftType Verdict { get; } = Of(NftBasicType.Verdict);

    public static NftType Of(params NftBasicType[] parts) => new(ImmutableArray.Create(parts));

    public bool Equals(NftType? other) => other is not null && Parts.SequenceEqual(other.Parts);

    public override int GetHashCode() => Parts.Aggregate(17, (h, p) => HashCode.Combine(h, p));

    public string Render() => string.Join(" . ", Parts.Select(Name));

    internal static string Name(NftBasicType type) => type switch
    {
        NftBasicType.Ipv4Addr => "ipv4_addr",
        NftBasicType.Ipv6Addr => "ipv6_addr",
        NftBasicType.InetService => "inet_service",
        NftBasicType.InetProto => "inet_proto",
        NftBasicType.Ifname => "ifname",
        NftBasicType.EtherAddr => "ether_addr",
        NftBasicType.Mark => "mark",
        NftBasicType.Verdict => "verdict",
        _ => throw new BerthException(ErrorKind.InvalidArgument, $"nftables basic type {(int)type} is not defined"),
    };
}
