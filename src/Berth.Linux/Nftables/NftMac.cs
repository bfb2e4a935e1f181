using System.Net.NetworkInformation;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>An Ethernet address (<c>ether_addr</c>): <c>02:42:ac:11:00:02</c>.</summary>
public sealed record NftMac : NftValue
{
    private const int EthernetAddressLength = 6; // ETH_ALEN, linux/if_ether.h

    private readonly byte[] _bytes;

    public NftMac(PhysicalAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _bytes = address.GetAddressBytes();
        if (_bytes.Length != EthernetAddressLength)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"MAC address \"{address}\" has {_bytes.Length} bytes; an Ethernet address has {EthernetAddressLength}");
        }
    }

    public PhysicalAddress Address => new(_bytes);

    public static NftMac Parse(string text)
    {
        try
        {
            return new NftMac(PhysicalAddress.Parse(text));
        }
        catch (FormatException e)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"\"{NftText.Printable(text)}\" is not a MAC address (expected e.g. 02:42:ac:11:00:02)", e);
        }
    }

    public bool Equals(NftMac? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override int GetHashCode() => Convert.ToHexString(_bytes).GetHashCode(StringComparison.Ordinal);

    internal override void RenderTo(StringBuilder sb) =>
        sb.Append(string.Join(':', _bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))));
}
