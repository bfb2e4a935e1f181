namespace Berth.Compose.Loading;

/// <summary>The short volume syntax <c>[SOURCE:]TARGET[:MODE]</c>.</summary>
internal static class VolumeSpec
{
    public static readonly HashSet<string> Modes = new(StringComparer.Ordinal)
    {
        "ro", "rw", "z", "Z", "nocopy", "copy", "consistent", "cached", "delegated", "shared", "slave", "private", "rshared", "rslave", "rprivate",
    };

    /// <summary>The parts of a short entry; <c>Target</c> is null when there are more than three parts.</summary>
    public static (string? Source, string? Target, string? Mode) SplitShort(string text)
    {
        var parts = text.Split(':');
        return parts.Length switch
        {
            1 => (null, parts[0], null),
            2 => (parts[0], parts[1], null),
            3 => (parts[0], parts[1], parts[2]),
            _ => (null, null, null),
        };
    }

    /// <summary>A source that is a path (a bind mount) rather than a volume name.</summary>
    public static bool IsPath(string source) => source.StartsWith('/') || source.StartsWith('.') || source.StartsWith('~');
}
