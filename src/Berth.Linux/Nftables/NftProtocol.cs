using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>A layer-4 protocol for <c>meta l4proto</c> or <c>ip protocol</c>: <c>tcp</c>, <c>udp</c>, ...</summary>
public sealed record NftProtocol : NftValue
{
    private static readonly string[] Known = ["tcp", "udp", "sctp", "icmp", "ipv6-icmp", "gre", "esp"];

    private NftProtocol(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public static NftProtocol Tcp { get; } = new("tcp");

    public static NftProtocol Udp { get; } = new("udp");

    public static NftProtocol Sctp { get; } = new("sctp");

    public static NftProtocol Icmp { get; } = new("icmp");

    public static NftProtocol Icmpv6 { get; } = new("ipv6-icmp");

    public static NftProtocol Parse(string name) =>
        Known.Contains(name)
            ? new NftProtocol(name)
            : throw new BerthException(ErrorKind.InvalidArgument,
                $"protocol \"{NftText.Printable(name)}\" is not supported in nftables rules; use one of {string.Join(", ", Known)}");

    internal override void RenderTo(StringBuilder sb) => sb.Append(Name);
}
