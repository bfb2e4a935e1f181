using System.Text;

namespace Berth.Linux.Nftables;

/// <summary>
/// A symbolic constant on the right of a match, from a fixed catalogue: <c>fib daddr type local</c>,
/// <c>ct status dnat</c>. Only the instances below exist, so their text is safe.
/// </summary>
public sealed record NftSymbol : NftValue
{
    private NftSymbol(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary><c>local</c>: an address of this host (for <see cref="NftSelector.FibDaddrType"/>).</summary>
    public static NftSymbol Local { get; } = new("local");

    /// <summary><c>dnat</c>: the connection's destination was translated (for <see cref="NftSelector.CtStatus"/>).</summary>
    public static NftSymbol Dnat { get; } = new("dnat");

    internal override void RenderTo(StringBuilder sb) => sb.Append(Name);
}
