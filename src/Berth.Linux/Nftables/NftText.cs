using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// The few places where caller-supplied text enters an nft buffer. Every name and string is checked here,
/// so nothing a caller passes can end a statement, open a block or start an <c>include</c>.
/// </summary>
internal static class NftText
{
    /// <summary><c>NFT_NAME_MAXLEN</c> (linux/netfilter/nf_tables.h): table, chain, set and map names, NUL excluded.</summary>
    internal const int MaxNameLength = 255;

    /// <summary>nft refuses longer comments (<c>NFT_USERDATA_MAXLEN</c> is 256 bytes; nft 1.0.6 limits comments to 128).</summary>
    internal const int MaxCommentLength = 128;

    internal static string Family(NftFamily family) => family switch
    {
        NftFamily.Ip => "ip",
        NftFamily.Ip6 => "ip6",
        NftFamily.Inet => "inet",
        NftFamily.Arp => "arp",
        NftFamily.Bridge => "bridge",
        NftFamily.Netdev => "netdev",
        _ => throw new BerthException(ErrorKind.InvalidArgument, $"nftables family {(int)family} is not defined; use ip, ip6, inet, arp, bridge or netdev"),
    };

    internal static bool TryParseFamily(string text, out NftFamily family)
    {
        switch (text)
        {
            case "ip": family = NftFamily.Ip; return true;
            case "ip6": family = NftFamily.Ip6; return true;
            case "inet": family = NftFamily.Inet; return true;
            case "arp": family = NftFamily.Arp; return true;
            case "bridge": family = NftFamily.Bridge; return true;
            case "netdev": family = NftFamily.Netdev; return true;
            default: family = default; return false;
        }
    }

    /// <summary>
    /// Checks a table, chain, set or map name: <c>[A-Za-z_][A-Za-z0-9_-]*</c>, at most <see cref="MaxNameLength"/>
    /// characters. <paramref name="what"/> names the object in the error ("chain name").
    /// </summary>
    internal static string Identifier(string name, string what)
    {
        if (!IsIdentifier(name))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"nftables {what} \"{Printable(name)}\" is not valid; use 1 to {MaxNameLength} characters from A-Z, a-z, 0-9, '_' and '-', starting with a letter or '_'");
        }

        if (NftKeywords.All.Contains(name))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"nftables {what} \"{name}\" is an nft keyword, which nft cannot parse as a name; choose another name (e.g. \"{name}_1\")");
        }

        return name;
    }

    internal static bool IsIdentifier(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A comment as a quoted nft string; quotes, backslashes and control characters are refused.</summary>
    internal static string QuotedComment(string comment, string owner)
    {
        if (comment.Length > MaxCommentLength || comment.Any(c => c == '"' || c == '\\' || char.IsControl(c) || c == '\u2028' || c == '\u2029'))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"nftables comment on {owner} (\"{Printable(comment)}\") is not valid; use at most {MaxCommentLength} characters without quotes, backslashes or control characters");
        }

        return $"\"{comment}\"";
    }

    /// <summary>A bad value as it may appear inside an error message: control characters escaped, cut short.</summary>
    internal static string Printable(string? text)
    {
        if (text is null)
        {
            return "(null)";
        }

        const int MaxShown = 80;
        var sb = new StringBuilder();
        foreach (char c in text.Length > MaxShown ? text[..MaxShown] : text)
        {
            if (char.IsControl(c))
            {
                sb.Append($"\\u{(int)c:x4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        if (text.Length > MaxShown)
        {
            sb.Append('…');
        }

        return sb.ToString();
    }
}
