namespace Berth.Runtime.Files;

/// <summary>
/// Container paths as Docker's archive code treats them (Go <c>path/filepath</c> on Linux and moby/go-archive's
/// <c>PreserveTrailingDotOrSeparator</c>): every path is absolute and cleaned, but a trailing <c>/.</c> or <c>/</c>
/// that the client wrote is kept, because it changes what is copied (the directory's contents, or a directory only).
/// </summary>
public static class ContainerPathText
{
    /// <summary>Go's <c>filepath.Join("/", path)</c>: absolute, no <c>.</c> or empty elements, <c>..</c> applied and clamped at <c>/</c>.</summary>
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (string part in (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }

    /// <summary><see cref="Clean"/> with the client's trailing <c>/.</c> or <c>/</c> put back.</summary>
    public static string CleanPreservingTrailer(string path)
    {
        string original = path ?? "";
        string cleaned = Clean(original);
        if (Base(cleaned) != "." && Base(original) == "." && original.Length > 0)
        {
            cleaned += cleaned.EndsWith('/') ? "." : "/.";
        }

        if (!cleaned.EndsWith('/') && original.EndsWith('/'))
        {
            cleaned += "/";
        }

        return cleaned;
    }

    /// <summary>Go's <c>filepath.Base</c>: the last element, trailing slashes ignored; <c>/</c> for the root.</summary>
    public static string Base(string path)
    {
        string trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return path.Length == 0 ? "." : "/";
        }

        int slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    /// <summary>The parent directory of a cleaned absolute path (<c>/</c> for the root's children and the root).</summary>
    public static string Parent(string path)
    {
        string trimmed = path.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        return slash <= 0 ? "/" : trimmed[..slash];
    }
}
