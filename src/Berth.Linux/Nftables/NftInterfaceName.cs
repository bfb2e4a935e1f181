using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// An interface name, rendered quoted: <c>"br-abc"</c>. A trailing <c>*</c> makes it a wildcard (<c>"veth*"</c>)
/// in a match.
/// </summary>
public sealed record NftInterfaceName : NftValue
{
    /// <summary><c>IFNAMSIZ</c> (16, linux/if.h) minus the terminating NUL.</summary>
    public const int MaxLength = 15;

    public NftInterfaceName(string name)
    {
        if (!IsValid(name))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"interface name \"{NftText.Printable(name)}\" is not valid; use 1 to {MaxLength} characters without quotes, backslashes, '/', ':', spaces or control characters");
        }

        Name = name;
    }

    public string Name { get; }

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && name != "." && name != ".."
        && name.All(c => c > ' ' && c < '\u007f' && c is not ('"' or '\\' or '/' or ':' or '\''));

    internal override void RenderTo(StringBuilder sb) => sb.Append('"').Append(Name).Append('"');
}
