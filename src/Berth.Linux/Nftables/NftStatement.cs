using System.Text;

namespace Berth.Linux.Nftables;

/// <summary>One statement of a rule (match, counter, verdict, NAT, ...). Only this assembly derives from it.</summary>
public abstract record NftStatement
{
    private protected NftStatement()
    {
    }

    public string Render()
    {
        var sb = new StringBuilder();
        RenderTo(sb);
        return sb.ToString();
    }

    internal abstract void RenderTo(StringBuilder sb);
}
