using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>An IPv4 or IPv6 address: <c>10.0.0.1</c>, <c>fd00::1</c>.</summary>
public sealed record NftAddress : NftValue
{
    public NftAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"address {address} cannot be used in an nftables rule; use an IPv4 or IPv6 address without a scope");
        }

        Address = address;
    }

    public IPAddress Address { get; }

    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    public static NftAddress Parse(string text) =>
        IPAddress.TryParse(text, out var address)
            ? new NftAddress(address)
            : throw new BerthException(ErrorKind.InvalidArgument, $"\"{NftText.Printable(text)}\" is not an IP address");

    internal override void RenderTo(StringBuilder sb) => sb.Append(Address.ToString());
}
