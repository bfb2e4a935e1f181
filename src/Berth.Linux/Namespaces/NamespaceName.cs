using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Namespaces;

/// <summary>Rules for names of persistent network namespaces (they become file names in one directory).</summary>
public static class NamespaceName
{
    /// <summary>NAME_MAX (linux/limits.h): the longest file name a directory entry can hold.</summary>
    public const int MaxBytes = 255;

    /// <summary>Returns what is wrong with <paramref name="name"/>, or null when it is usable.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "network namespace name is empty; give a name such as \"web1\"";
        }

        if (name is "." or "..")
        {
            return $"network namespace name \"{name}\" is not allowed; choose a name other than \".\" or \"..\"";
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            return $"network namespace name \"{name}\" contains '/'; use a plain file name without slashes";
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return "network namespace name contains a NUL character; use printable characters only";
        }

        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxBytes)
        {
            return $"network namespace name \"{name[..16]}...\" is {bytes} bytes long; use at most {MaxBytes}";
        }

        return null;
    }

    /// <summary>Throws an InvalidArgument error when <paramref name="name"/> is not usable.</summary>
    public static void Validate(string? name)
    {
        if (Problem(name) is { } problem)
        {
            throw new BerthException(ErrorKind.InvalidArgument, problem);
        }
    }
}
