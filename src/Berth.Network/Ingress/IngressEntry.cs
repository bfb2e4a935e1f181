using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Berth.Core.Errors;

namespace Berth.Network.Ingress;

/// <summary>
/// One node's way into the ingress overlay: the interface its host namespace has on that network, by address and MAC.
/// Every node knows every entry (they are endpoint records); a task uses them to send each reply back through the
/// node that received (and DNATed) the connection.
/// </summary>
public sealed record IngressEntry
{
    public IngressEntry(IPAddress address, PhysicalAddress mac)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(mac);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"ingress entry address {address} is not IPv4; the ingress network is IPv4 only");
        }

        if (mac.GetAddressBytes().Length != 6)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"ingress entry {address} has MAC \"{mac}\", which is not 6 bytes long");
        }

        Address = address;
        Mac = mac;
    }

    public IPAddress Address { get; }

    public PhysicalAddress Mac { get; }

    /// <summary>
    /// The connection mark, fwmark and routing table of this entry inside a task's namespace: the entry's IPv4
    /// address as a number without its top bit (so it is a positive table number). The addresses of one subnet share
    /// that bit, so it is unique per entry; never 0, and (for any usable address) never one of the reserved tables
    /// 253–255. Only the task's namespace sees it, so no other software's mark bits are hit.
    /// </summary>
    public uint Mark => BinaryPrimitives.ReadUInt32BigEndian(Address.GetAddressBytes()) & 0x7FFF_FFFF;

    /// <summary>The routing table of <see cref="Mark"/>.</summary>
    public int Table => (int)Mark;

    /// <summary>The MAC as nft writes it (aa:bb:cc:dd:ee:ff).</summary>
    public string NftMac => string.Join(':', Mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    public bool Equals(IngressEntry? other) => other is not null && Address.Equals(other.Address) && Mac.Equals(other.Mac);

    public override int GetHashCode() => HashCode.Combine(Address, Mac);

    public override string ToString() => $"{Address} ({NftMac})";
}
