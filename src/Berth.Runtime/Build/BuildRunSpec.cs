using System.Collections.Immutable;

namespace Berth.Runtime.Build;

/// <summary>
/// A <c>RUN</c> step's process, already shaped by the Dockerfile engine: the argv (a shell form turned into
/// <c>SHELL</c> + the command), the environment (the image's <c>Env</c> and the build args in scope), the working
/// directory and the user as the image config gives them.
/// </summary>
public sealed record BuildRunSpec
{
    public required ImmutableArray<string> Args { get; init; }

    /// <summary><c>KEY=value</c>; PATH is Docker's default unless set.</summary>
    public ImmutableArray<string> Env { get; init; } = [];

    /// <summary>Empty means <c>/</c>.</summary>
    public string WorkingDir { get; init; } = "";

    /// <summary>Docker's user forms (<c>uid</c>, <c>uid:gid</c>, <c>name</c>, <c>name:group</c>), resolved in the snapshot; empty is root.</summary>
    public string User { get; init; } = "";

    public BuildNetwork Network { get; init; } = BuildNetwork.None;

    /// <summary>The container's hostname; empty is the snapshot id's first 12 characters (moby: the build container's short id).</summary>
    public string Hostname { get; init; } = "";

    /// <summary>The container's /etc/hosts; null writes the localhost entries and the hostname.</summary>
    public string? Hosts { get; init; }

    /// <summary>The container's /etc/resolv.conf; null copies the host's.</summary>
    public string? ResolvConf { get; init; }

    /// <summary>
    /// Scripts the step can run (a RUN's shebang heredoc): each is <see cref="ScriptDirectory"/>/NAME, mode 0755, in a
    /// read-only mount of its own — never part of the snapshot, so never in the committed layer.
    /// </summary>
    public ImmutableArray<BuildInlineFile> Scripts { get; init; } = [];

    /// <summary>Where <see cref="Scripts"/> are mounted: an absolute container path (BuildKit's is /dev/pipes).</summary>
    public string ScriptDirectory { get; init; } = "";

    /// <summary>
    /// The image's <c>VOLUME</c>s. Docker runs the step with an anonymous volume on each: what the step changes below them is
    /// discarded, and the mount point stays (made 0755, root's, where the image has none).
    /// </summary>
    public ImmutableArray<string> Volumes { get; init; } = [];
}
