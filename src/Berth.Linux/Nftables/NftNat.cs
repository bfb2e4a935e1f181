using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// <c>snat|dnat ip|ip6 to addr[:port]</c>: <c>dnat ip to 10.0.0.2:80</c>, <c>snat ip6 to [fd00::1]:53</c>. The family
/// word comes from the address, which makes the rule valid in <c>inet</c> tables. nft needs a transport match
/// (e.g. <c>tcp dport 80</c>) earlier in a rule that sets a port.
/// </summary>
public sealed record NftNat : NftStatement
{
    public NftNat(NftNatKind kind, NftAddress address, ushort? port = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!Enum.IsDefined(kind))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"NAT kind {(int)kind} is not defined; use Snat or Dnat");
        }

        Kind = kind;
        Address = address;
        Port = port;
    }

    public NftNatKind Kind { get; }

    public NftAddress Address { get; }

    public ushort? Port { get; }

    internal override void RenderTo(StringBuilder sb)
    {
        sb.Append(Kind == NftNatKind.Snat ? "snat " : "dnat ").Append(Address.IsIPv6 ? "ip6 to " : "ip to ");
        if (Port is { } port)
        {
            if (Address.IsIPv6)
            {
                sb.Append('[');
                Address.RenderTo(sb);
                sb.Append(']');
            }
            else
            {
                Address.RenderTo(sb);
            }

            sb.Append(':').Append(port);
        }
        else
        {
            Address.RenderTo(sb);
        }
    }
}
