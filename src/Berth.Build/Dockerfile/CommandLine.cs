using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>
/// The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD: the exec form (<c>["a","b"]</c>, run as written) or the
/// shell form (one string, run by the stage's SHELL, <c>/bin/sh -c</c> by default).
/// </summary>
public sealed record CommandLine(ImmutableArray<string> Arguments, bool IsShellForm)
{
    public static CommandLine Empty { get; } = new([], false);

    /// <summary>The argv to run: the shell form prefixed with <paramref name="shell"/>.</summary>
    public ImmutableArray<string> Resolve(IReadOnlyList<string> shell) =>
        IsShellForm ? [.. shell, .. Arguments] : Arguments;
}
