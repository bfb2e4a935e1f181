using System.Collections.Immutable;

namespace Berth.Linux.Nftables;

/// <summary>A chain and its rules; a base chain when <see cref="Base"/> is set, a regular (jump target) chain otherwise.</summary>
public sealed record NftChain
{
    public NftChain(string name, NftBaseChain? baseChain = null, ImmutableArray<NftRule> rules = default)
    {
        Name = NftText.Identifier(name, "chain name");
        Base = baseChain;
        Rules = rules.IsDefault ? [] : rules;
    }

    public string Name { get; }

    public NftBaseChain? Base { get; }

    public ImmutableArray<NftRule> Rules { get; }

    public NftChain WithRules(ImmutableArray<NftRule> rules) => new(Name, Base, rules);

    public bool Equals(NftChain? other) =>
        other is not null && Name == other.Name && Equals(Base, other.Base) && Rules.SequenceEqual(other.Rules);

    public override int GetHashCode() => HashCode.Combine(Name, Base, Rules.Length);
}
