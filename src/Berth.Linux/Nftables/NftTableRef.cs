namespace Berth.Linux.Nftables;

/// <summary>A table by family and name, such as <c>inet berth</c>. The name is validated on construction.</summary>
public readonly record struct NftTableRef
{
    public NftTableRef(NftFamily family, string name)
    {
        NftText.Family(family);
        Family = family;
        Name = NftText.Identifier(name, "table name");
    }

    public NftFamily Family { get; }

    public string Name { get; }

    /// <summary>The table as nft writes it: <c>inet berth</c>.</summary>
    public override string ToString() => $"{NftText.Family(Family)} {Name}";
}
