using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// A chain of any table, Berth's or another tool's (<c>ip filter FORWARD</c>, <c>inet firewalld filter_FORWARD</c>).
/// Names pass the identifier check (<c>[A-Za-z_][A-Za-z0-9_-]*</c>) but, unlike <see cref="NftTableRef"/>, may be nft
/// keywords: iptables-nft names its tables <c>filter</c> and <c>nat</c>, which nft accepts in the table and chain
/// positions of <c>insert rule</c>/<c>delete rule</c>/<c>list chain</c>. Berth names only its own tables and chains with
/// <see cref="NftTableRef"/>; this type is for chains it reads from the kernel.
/// </summary>
public readonly record struct NftChainRef
{
    public NftChainRef(NftFamily family, string table, string chain)
    {
        NftText.Family(family);
        if (!NftText.IsIdentifier(table) || !NftText.IsIdentifier(chain))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"nftables chain \"{NftText.Printable(table)} {NftText.Printable(chain)}\" has a name nft text cannot carry; use names from A-Z, a-z, 0-9, '_' and '-'");
        }

        Family = family;
        Table = table;
        Chain = chain;
    }

    public NftFamily Family { get; }

    public string Table { get; }

    public string Chain { get; }

    /// <summary>Whether <paramref name="table"/> and <paramref name="chain"/> can be written in nft text.</summary>
    public static bool CanName(string? table, string? chain) => NftText.IsIdentifier(table) && NftText.IsIdentifier(chain);

    /// <summary>The chain as nft writes it: <c>ip filter FORWARD</c>.</summary>
    public override string ToString() => $"{NftText.Family(Family)} {Table} {Chain}";
}
