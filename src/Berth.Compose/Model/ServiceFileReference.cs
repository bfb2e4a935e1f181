namespace Berth.Compose.Model;

/// <summary>One entry of a service's <c>secrets:</c> or <c>configs:</c> (short: the key; long: source, target, uid, gid, mode).</summary>
/// <param name="Source">The key of the top-level entry.</param>
public sealed record ServiceFileReference(string Source)
{
    /// <summary>The file name in the task; null: the source's key.</summary>
    public string? Target { get; init; }

    public string? Uid { get; init; }

    public string? Gid { get; init; }

    /// <summary>The file mode; null: 0444.</summary>
    public uint? Mode { get; init; }
}
