using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// One set or map element: a key, and for maps the data: <c>8080 : 10.0.0.2 . 80</c>,
/// <c>"br-abc" : jump fwd_abc</c>.
/// </summary>
public sealed record NftElement
{
    public NftElement(NftValue key, NftValue? data = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key is NftVerdict or NftSetRef or NftCtStateValue)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"\"{key.Render()}\" cannot be a set or map key; use an address, prefix, range, port, integer, interface name, MAC address or a concatenation of them");
        }

        if (data is NftSetRef or NftCtStateValue or NftRange)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"\"{data.Render()}\" cannot be map data");
        }

        Key = key;
        Data = data;
    }

    public NftValue Key { get; }

    /// <summary>The mapped value; null for a set element.</summary>
    public NftValue? Data { get; }

    public static implicit operator NftElement(NftValue key) => new(key);

    public static NftElement FromNftValue(NftValue key) => new(key);

    public string Render()
    {
        var sb = new StringBuilder();
        RenderTo(sb, withData: true);
        return sb.ToString();
    }

    internal void RenderTo(StringBuilder sb, bool withData)
    {
        Key.RenderTo(sb);
        if (withData && Data is not null)
        {
            sb.Append(" : ");
            Data.RenderTo(sb);
        }
    }
}
