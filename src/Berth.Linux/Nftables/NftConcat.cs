using System.Collections.Immutable;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>A concatenation of values, for concatenated set keys or map data: <c>10.0.0.2 . 80</c>.</summary>
public sealed record NftConcat : NftValue
{
    public NftConcat(ImmutableArray<NftValue> parts)
    {
        if (parts.IsDefault || parts.Length < 2 || parts.Any(p => p is null or NftConcat or NftVerdict or NftSetRef or NftCtStateValue))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                "nftables concatenation needs at least two plain values (addresses, prefixes, ranges, ports, integers, interface names, MAC addresses)");
        }

        Parts = parts;
    }

    public NftConcat(params NftValue[] parts)
        : this(ImmutableArray.Create(parts))
    {
    }

    public ImmutableArray<NftValue> Parts { get; }

    public bool Equals(NftConcat? other) => other is not null && Parts.SequenceEqual(other.Parts);

    public override int GetHashCode() => Parts.Aggregate(17, (h, p) => HashCode.Combine(h, p));

    internal override void RenderTo(StringBuilder sb)
    {
        for (int i = 0; i < Parts.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(" . ");
            }

            Parts[i].RenderTo(sb);
        }
    }
}
