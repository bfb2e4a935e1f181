using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// A whole table as Berth wants it: chains (with rules), sets and maps. Rendered by
/// <see cref="NftBatch.ReplaceTable"/> in dependency order: chains, then sets and maps with their elements
/// (a verdict map's elements may jump to the chains), then rules (which may refer to the sets and maps).
/// </summary>
public sealed record NftTable
{
    public NftTable(NftTableRef reference, ImmutableArray<NftChain> chains = default, ImmutableArray<NftSet> sets = default, ImmutableArray<NftMap> maps = default)
    {
        if (reference.Name is null)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "nftables table needs a family and a name");
        }

        Reference = reference;
        Chains = chains.IsDefault ? [] : chains;
        Sets = sets.IsDefault ? [] : sets;
        Maps = maps.IsDefault ? [] : maps;

        var duplicate = Chains.Select(c => c.Name).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1)?.Key
            ?? Sets.Select(s => s.Name).Concat(Maps.Select(m => m.Name)).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"table {reference} defines \"{duplicate}\" twice; chain names, and set and map names, must be unique in a table");
        }
    }

    public NftTableRef Reference { get; }

    public ImmutableArray<NftChain> Chains { get; }

    public ImmutableArray<NftSet> Sets { get; }

    public ImmutableArray<NftMap> Maps { get; }

    public bool Equals(NftTable? other) =>
        other is not null && Reference == other.Reference && Chains.SequenceEqual(other.Chains)
        && Sets.SequenceEqual(other.Sets) && Maps.SequenceEqual(other.Maps);

    public override int GetHashCode() => HashCode.Combine(Reference, Chains.Length, Sets.Length, Maps.Length);
}
