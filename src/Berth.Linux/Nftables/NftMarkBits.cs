using System.Globalization;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// Bits of the packet mark, set or tested without touching the mark's other bits (other software uses them):
/// <c>meta mark set meta mark or 0x00100000</c>, <c>meta mark and 0x00100000 != 0</c>.
/// </summary>
public sealed record NftMarkBits : NftStatement
{
    private NftMarkBits(uint bits, bool set)
    {
        if (bits == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "a mark bit statement needs at least one bit");
        }

        Bits = bits;
        IsSet = set;
    }

    public uint Bits { get; }

    /// <summary>True: sets the bits; false: matches packets that carry any of them.</summary>
    public bool IsSet { get; }

    public static NftMarkBits Set(uint bits) => new(bits, set: true);

    public static NftMarkBits Test(uint bits) => new(bits, set: false);

    internal override void RenderTo(StringBuilder sb)
    {
        string hex = "0x" + Bits.ToString("x8", CultureInfo.InvariantCulture);
        sb.Append(IsSet ? $"meta mark set meta mark or {hex}" : $"meta mark and {hex} != 0");
    }
}
