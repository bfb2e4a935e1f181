namespace Berth.Cli.Commands.Containers;

/// <summary>
/// The path rules of <c>docker cp</c> (docker/cli <c>cp.go</c>, moby/go-archive <c>copy.go</c>): which argument names a container,
/// what a trailing <c>/</c> or <c>/.</c> asserts, how a copy's top entry is renamed. Paths are POSIX; nothing here touches a disk.
/// </summary>
public static class CopyPaths
{
    /// <summary>
    /// <c>CONTAINER:PATH</c> or a local path. An absolute path is local; so is one whose part before the first colon starts with a
    /// dot (<c>./file:name</c>), as scp does it.
    /// </summary>
    public static (string Container, string Path) SplitArgument(string argument)
    {
        if (argument.StartsWith('/'))
        {
            return ("", argument);
        }

        var colon = argument.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 || argument.StartsWith('.') ? ("", argument) : (argument[..colon], argument[(colon + 1)..]);
    }

    public static bool HasTrailingSeparator(string path) => path.EndsWith('/');

    /// <summary>The last element is <c>.</c>: the directory's contents, not the directory.</summary>
    public static bool SpecifiesCurrentDirectory(string path) => Base(path) == ".";

    /// <summary>A trailing <c>/</c> or <c>/.</c>: the destination must be a directory.</summary>
    public static bool AssertsDirectory(string path) => HasTrailingSeparator(path) || SpecifiesCurrentDirectory(path);

    /// <summary>go-archive's <c>PreserveTrailingDotOrSeparator</c>: puts back the <c>/.</c> or <c>/</c> that cleaning took away.</summary>
    public static string PreserveTrailingDotOrSeparator(string cleaned, string original)
    {
        if (!SpecifiesCurrentDirectory(cleaned) && SpecifiesCurrentDirectory(original))
        {
            cleaned += (HasTrailingSeparator(cleaned) ? "" : "/") + ".";
        }

        if (!HasTrailingSeparator(cleaned) && HasTrailingSeparator(original))
        {
            cleaned += "/";
        }

        return cleaned;
    }

    /// <summary>An absolute local path, with the user's trailing <c>/</c> or <c>/.</c> kept.</summary>
    public static string ResolveLocal(string path, string workingDirectory) =>
        PreserveTrailingDotOrSeparator(Clean(path.StartsWith('/') ? path : workingDirectory + "/" + path), path);

    /// <summary>go-archive's <c>SplitPathDirEntry</c>: cleaned directory and base, a trailing <c>.</c> kept as the base.</summary>
    public static (string Directory, string Base) SplitDirectoryEntry(string path)
    {
        var cleaned = Clean(path);
        if (SpecifiesCurrentDirectory(path))
        {
            cleaned += "/.";
        }

        return (Dir(cleaned), Base(cleaned));
    }

    /// <summary>
    /// go-archive's <c>GetRebaseName</c>: after a symlink was resolved, the resolved path gets the original's trailing
    /// <c>/.</c> or <c>/</c>, and the archive's top entry must be renamed back to the name the user gave when they differ.
    /// </summary>
    public static (string ResolvedPath, string RebaseName) RebaseName(string path, string resolvedPath)
    {
        if (SpecifiesCurrentDirectory(path) && !SpecifiesCurrentDirectory(resolvedPath))
        {
            resolvedPath += "/.";
        }

        if (HasTrailingSeparator(path) && !HasTrailingSeparator(resolvedPath))
        {
            resolvedPath += "/";
        }

        return (resolvedPath, Base(path) != Base(resolvedPath) ? Base(path) : "");
    }

    /// <summary>go-archive's <c>newNameRebaser</c>: <paramref name="oldBase"/> at the start of a name becomes <paramref name="newBase"/>.</summary>
    public static string Rebase(string name, string oldBase, string newBase)
    {
        oldBase = oldBase.TrimEnd('/');
        newBase = newBase.TrimEnd('/');
        if (oldBase.Length == 0)
        {
            name = name.TrimStart('/');
            return newBase.Length == 0 ? name : newBase + "/" + name;
        }

        if (!name.StartsWith(oldBase, StringComparison.Ordinal))
        {
            return name;
        }

        var suffix = name[oldBase.Length..];
        return suffix.Length > 0 && !suffix.StartsWith('/') ? name : newBase + suffix;
    }

    /// <summary>Go's <c>path.Clean</c>.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add(part);
                }

                continue;
            }

            parts.Add(part);
        }

        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>Go's <c>path.Base</c>.</summary>
    public static string Base(string path)
    {
        path = path.TrimEnd('/');
        if (path.Length == 0)
        {
            return "/";
        }

        var slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    /// <summary>Go's <c>path.Dir</c>.</summary>
    public static string Dir(string path)
    {
        var slash = path.LastIndexOf('/');
        return Clean(slash < 0 ? "." : path[..(slash + 1)]);
    }

    /// <summary>Go's <c>path.Join</c> of two elements.</summary>
    public static string Join(string first, string second) => Clean(first + "/" + second);
}
