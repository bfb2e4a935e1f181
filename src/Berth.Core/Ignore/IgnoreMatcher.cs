using Berth.Core.Naming;
using System.Collections.Immutable;

namespace Berth.Core.Ignore;

/// <summary>
/// Decides which build-context paths a .dockerignore leaves out, with moby/patternmatcher's rules: patterns apply
/// in order and the last one that matches wins (<c>!</c> patterns re-include); a pattern that matches a directory
/// also matches everything below it; the context root is never excluded.
/// </summary>
public sealed class IgnoreMatcher
{
    private readonly ImmutableArray<IgnorePattern> patterns;

    internal IgnoreMatcher(ImmutableArray<IgnorePattern> patterns)
    {
        this.patterns = patterns;
    }

    public static IgnoreMatcher Empty { get; } = new([]);

    /// <summary>The cleaned patterns, exceptions with their <c>!</c>.</summary>
    public IEnumerable<string> Patterns => patterns.Select(p => p.IsException ? "!" + p.Text : p.Text);

    public bool HasExceptions => patterns.Any(p => p.IsException);

    /// <summary>Whether <paramref name="relativePath"/> (slash-separated, relative to the context root) is left out.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = GoPath.Clean(relativePath.TrimStart('/'));
        if (path == ".")
        {
            return false;
        }
        var parent = GoPath.Dir(path);
        var parentDirs = parent == "." ? [] : parent.Split('/');
        var matched = false;
        foreach (var pattern in patterns)
        {
            // An exclusion cannot change an excluded path, nor an exception an included one.
            if (pattern.IsException != matched)
            {
                continue;
            }
            var match = pattern.Matches(path);
            for (var depth = 1; !match && depth <= parentDirs.Length; depth++)
            {
                match = pattern.Matches(string.Join('/', parentDirs[..depth]));
            }
            if (match)
            {
                matched = !pattern.IsException;
            }
        }
        return matched;
    }

    /// <summary>
    /// Whether a walk of the context can skip the directory <paramref name="relativePath"/> whole: it is excluded
    /// and no exception could bring anything below it back.
    /// </summary>
    public bool CanSkipDirectory(string relativePath) => IsExcluded(relativePath) && !HasExceptions;

    /// <summary>
    /// The matcher the client sends the context with: the Dockerfile and .dockerignore are kept even when a
    /// pattern excludes them (docker CLI TrimBuildFilesFromExcludes); the daemon reads them and does not let
    /// COPY see them when they were excluded.
    /// </summary>
    public IgnoreMatcher KeepingBuildFiles(string dockerfilePath)
    {
        var result = patterns;
        foreach (var file in new[] { DockerIgnore.FileName, GoPath.Clean(dockerfilePath.Replace('\\', '/')) })
        {
            if (new IgnoreMatcher(result).IsExcluded(file))
            {
                result = result.Add(new IgnorePattern(file, exception: true));
            }
        }
        return new IgnoreMatcher(result);
    }
}
