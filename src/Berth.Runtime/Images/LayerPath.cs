using Berth.Core.Errors;

namespace Berth.Runtime.Images;

/// <summary>
/// Path rules for layer tar entries: every entry must stay inside the layer root, and OCI whiteout
/// names (image-spec layer.md, "Whiteouts") are recognised here so the unpacker only acts on plans.
/// </summary>
public static class LayerPath
{
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>
    /// Cleans a tar entry name (<c>./a//b/</c> → <c>a/b</c>). Absolute names and names that climb
    /// above the root with <c>..</c> are refused with InvalidArgument.
    /// </summary>
    public static string Normalize(string entryName)
    {
        if (entryName.StartsWith('/'))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"layer entry \"{entryName}\" is an absolute path; the layer may only write inside its own root — rebuild the layer with relative names");
        }

        var parts = new List<string>();
        foreach (string part in entryName.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    throw new BerthException(ErrorKind.InvalidArgument,
                        $"layer entry \"{entryName}\" climbs out of the layer root with \"..\"; the archive is unsafe and was not unpacked");
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            if (part.Contains('\0', StringComparison.Ordinal))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"layer entry \"{entryName}\" contains a NUL byte");
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    /// <summary>Decides what an entry name means: a whiteout, an opaque marker, the root or an ordinary entry.</summary>
    public static LayerEntryPlan Classify(string entryName)
    {
        string path = Normalize(entryName);
        if (path.Length == 0)
        {
            return new LayerEntryPlan(LayerEntryKind.Root, "");
        }

        int slash = path.LastIndexOf('/');
        string parent = slash < 0 ? "" : path[..slash];
        string name = path[(slash + 1)..];
        if (name == OpaqueMarker)
        {
            return new LayerEntryPlan(LayerEntryKind.Opaque, parent);
        }

        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            string hidden = name[WhiteoutPrefix.Length..];
            if (hidden.Length == 0 || hidden is "." or "..")
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"layer entry \"{entryName}\" is a whiteout without a valid name");
            }

            return new LayerEntryPlan(LayerEntryKind.Whiteout, parent.Length == 0 ? hidden : parent + "/" + hidden);
        }

        return new LayerEntryPlan(LayerEntryKind.Normal, path);
    }

    /// <summary>
    /// A symlink target resolved as the container will see it (absolute targets are relative to the
    /// container root). Returns null when the target leaves the root — only a problem for hardlinks,
    /// which must name a file inside the layer.
    /// </summary>
    public static string? ResolveHardlinkTarget(string linkName)
    {
        try
        {
            return Normalize(linkName.TrimStart('/'));
        }
        catch (BerthException)
        {
            return null;
        }
    }
}
