using System.Collections.Immutable;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// <c>numgen random mod N vmap { 0 : goto a, 1 : goto b }</c>: one of N verdicts, chosen at random per packet (kube-proxy's
/// pick of a service endpoint; in a NAT chain only a connection's first packet is seen, so the pick is per connection).
/// </summary>
public sealed record NftNumgenVerdictMap : NftStatement
{
    public NftNumgenVerdictMap(ImmutableArray<NftVerdict> verdicts)
    {
        if (verdicts.IsDefaultOrEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "numgen vmap needs at least one verdict");
        }

        Verdicts = verdicts;
    }

    public ImmutableArray<NftVerdict> Verdicts { get; }

    public bool Equals(NftNumgenVerdictMap? other) => other is not null && Verdicts.SequenceEqual(other.Verdicts);

    public override int GetHashCode() => Verdicts.Aggregate(17, (h, v) => HashCode.Combine(h, v));

    internal override void RenderTo(StringBuilder sb)
    {
        sb.Append("numgen random mod ").Append(Verdicts.Length).Append(" vmap { ");
        for (int i = 0; i < Verdicts.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(i).Append(" : ");
            Verdicts[i].RenderTo(sb);
        }

        sb.Append(" }");
    }
}
