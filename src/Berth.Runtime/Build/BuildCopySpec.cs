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
    /// <summary>Paths in the source; may be empty when <see cref="Contents"/> has the files.</summary>
    public required ImmutableArray<string> Sources { get; init; }

    /// <summary>
    /// Heredoc sources (<c>COPY &lt;&lt;EOF /etc/app.conf</c>), copied after <see cref="Sources"/> as files of mode 0644
    /// named by the heredoc (BuildKit makes each in an empty directory and copies it from there): owned by root or
    /// <see cref="Chown"/>, <see cref="Chmod"/> applied, never unpacked by ADD.
    /// </summary>
    public ImmutableArray<BuildInlineFile> Contents { get; init; } = [];

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
