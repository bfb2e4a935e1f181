using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Links;

/// <summary>Interface name rules (dev_valid_name in net/core/dev.c), checked before asking the kernel.</summary>
public static class LinkName
{
    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create("/: \t\n\r\0");

    /// <summary>IFNAMSIZ is 16 including the terminating NUL.</summary>
    public const int MaxLength = 15;

    public static string Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "an interface name cannot be empty");
        }

        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxLength)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"interface name \"{name}\" is {bytes} characters long; Linux allows at most {MaxLength}");
        }

        if (name is "." or ".." || name.AsSpan().IndexOfAny(Forbidden) >= 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"interface name \"{name}\" is not valid: it cannot be \".\" or \"..\" or contain '/', ':' or whitespace");
        }

        return name;
    }
}
