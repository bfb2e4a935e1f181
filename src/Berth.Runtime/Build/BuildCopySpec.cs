using System.Collections.Immutable;

namespace Berth.Runtime.Build;

/// <summary>
/// One <c>COPY</c> or <c>ADD</c> (local sources only): the sources, relative to the <see cref="BuildCopySource"/> (a
/// <c>*</c>, <c>?</c> or <c>[…]</c> pattern in the last element matches names as Go's <c>filepath.Match</c>), and the
/// destination in the snapshot, relative to <see cref="WorkingDir"/> unless absolute. A destination ending in <c>/</c>
/// (or an existing directory) receives the sources under their names; several sources need one.
/// </summary>
public sealed record BuildCopySpec
{
    public required ImmutableArray<string> Sources { get; init; }

    public required string Destination { get; init; }

    /// <summary>The image's <c>WorkingDir</c> at this step; empty is <c>/</c>.</summary>
    public string WorkingDir { get; init; } = "";

    /// <summary><c>--chown=user[:group]</c>: names resolved in the snapshot's /etc/passwd and /etc/group; null leaves root (context) or the source's owners (<c>--from</c>).</summary>
    public string? Chown { get; init; }

    /// <summary><c>--chmod=0755</c> (octal): the permission bits of every file and directory copied.</summary>
    public string? Chmod { get; init; }

    /// <summary><c>ADD</c>: a local tar (plain or gzip) is unpacked into the destination directory instead of copied.</summary>
    public bool ExtractArchives { get; init; }
}
