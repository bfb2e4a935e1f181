using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Links;

/// <summary>The kernel's rules for link names (net/core/dev.c, dev_valid_name), checked before asking the kernel.</summary>
public static class LinkName
{
    /// <summary>IFNAMSIZ (16, linux/if.h) minus the terminating NUL.</summary>
    public const int MaxLength = 15;

    /// <summary>Returns what is wrong with <paramref name="name"/>, or null when the kernel accepts it.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "interface name is empty; give a name such as \"eth0\"";
        }

        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxLength)
        {
            return $"interface name \"{name}\" is {bytes} bytes long; Linux allows at most {MaxLength}";
        }

        if (name is "." or "..")
        {
            return $"interface name \"{name}\" is not allowed; choose a name other than \".\" or \"..\"";
        }

        foreach (char c in name)
        {
            if (c is '/' or ':' or '\0' || char.IsWhiteSpace(c))
            {
                return $"interface name \"{name}\" contains '{(c == '\0' ? "\\0" : c.ToString())}'; Linux forbids '/', ':' and whitespace in interface names";
            }
        }

        return null;
    }

    /// <summary>Returns <paramref name="name"/>, or throws an InvalidArgument error when the kernel would reject it.</summary>
    public static string Validate(string? name) =>
        Problem(name) is { } problem ? throw new BerthException(ErrorKind.InvalidArgument, problem) : name!;
}
