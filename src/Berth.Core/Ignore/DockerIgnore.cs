using Berth.Core.Naming;
using Berth.Core.Errors;

namespace Berth.Core.Ignore;

/// <summary>
/// Reads a .dockerignore file (Dockerfile reference, ".dockerignore file"; moby/patternmatcher's ignorefile):
/// a BOM is dropped, lines starting with <c>#</c> are comments, blank lines are skipped, each pattern is trimmed
/// and cleaned (<c>./a//b/</c> → <c>a/b</c>, a leading <c>/</c> dropped), <c>!</c> makes an exception.
/// </summary>
public static class DockerIgnore
{
    public const string FileName = ".dockerignore";

    public static IgnoreMatcher Parse(string text)
    {
        var patterns = new List<IgnorePattern>();
        var lineNumber = 0;
        foreach (var rawLine in (text.StartsWith('\uFEFF') ? text[1..] : text).Split('\n'))
        {
            lineNumber++;
            if (rawLine.StartsWith('#'))
            {
                continue;
            }
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var exception = line[0] == '!';
            var pattern = exception ? line[1..].Trim() : line;
            if (pattern.Length > 0)
            {
                pattern = GoPath.Clean(pattern);
                if (pattern.Length > 1 && pattern[0] == '/')
                {
                    pattern = pattern[1..];
                }
            }
            patterns.Add(Compile(pattern, exception, lineNumber));
        }
        return new IgnoreMatcher([.. patterns]);
    }

    internal static IgnorePattern Compile(string pattern, bool exception, int lineNumber)
    {
        if (exception && pattern.Length == 0)
        {
            throw Invalid(lineNumber, "illegal exclusion pattern: \"!\"");
        }
        try
        {
            GlobSyntax.Check(pattern);
            return new IgnorePattern(pattern, exception);
        }
        catch (GlobSyntaxException e)
        {
            throw Invalid(lineNumber, $"{e.Message}: {(exception ? "!" : "")}{pattern}");
        }
    }

    private static BerthException Invalid(int lineNumber, string message) =>
        new(ErrorKind.InvalidArgument, $"{FileName} line {lineNumber}: {message}; fix or remove the pattern");
}
