using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Core.Ignore;

/// <summary>
/// One .dockerignore pattern compiled as moby/patternmatcher does: Go <c>filepath.Match</c> syntax (<c>*</c> and
/// <c>?</c> never cross a slash, <c>[…]</c> classes, <c>\</c> escapes) plus <c>**</c> for any number of
/// directories. Literal patterns compare as strings, <c>prefix**</c> and <c>**suffix</c> as prefix and suffix
/// tests; the rest become a non-backtracking regular expression, so no pattern can make matching hang.
/// </summary>
internal sealed class IgnorePattern
{
    private const string RegexSpecial = ".+()|{}$^";

    private readonly MatchKind kind;
    private readonly Regex? regex;

    public IgnorePattern(string cleaned, bool exception)
    {
        Text = cleaned;
        IsException = exception;
        (kind, regex) = Compile(cleaned);
    }

    public string Text { get; }

    public bool IsException { get; }

    public bool Matches(string path) => kind switch
    {
        MatchKind.Exact => path == Text,
        MatchKind.Prefix => path.StartsWith(Text[..^2], StringComparison.Ordinal),
        MatchKind.Suffix => path.EndsWith(Text[2..], StringComparison.Ordinal)
                            || (Text.Length > 2 && Text[2] == '/' && path == Text[3..]),
        _ => regex!.IsMatch(path),
    };

    private static (MatchKind, Regex?) Compile(string pattern)
    {
        var expression = new StringBuilder("^");
        var kind = MatchKind.Exact;
        var i = 0;
        for (var pos = 0; pos < pattern.Length; i++)
        {
            var ch = pattern[pos++];
            if (ch == '*' && pos < pattern.Length && pattern[pos] == '*')
            {
                pos++;
                if (pos < pattern.Length && pattern[pos] == '/')
                {
                    pos++;
                }
                if (pos == pattern.Length)
                {
                    // "**" at the end takes everything below, as in .gitignore.
                    if (kind == MatchKind.Exact)
                    {
                        kind = MatchKind.Prefix;
                    }
                    else
                    {
                        expression.Append(".*");
                        kind = MatchKind.Regex;
                    }
                }
                else
                {
                    expression.Append("(.*/)?");
                    kind = MatchKind.Regex;
                }
                if (i == 0)
                {
                    kind = MatchKind.Suffix;
                }
            }
            else if (ch == '*')
            {
                expression.Append("[^/]*");
                kind = MatchKind.Regex;
            }
            else if (ch == '?')
            {
                expression.Append("[^/]");
                kind = MatchKind.Regex;
            }
            else if (ch == '\\')
            {
                if (pos < pattern.Length)
                {
                    expression.Append(Regex.Escape(pattern[pos++].ToString()));
                    kind = MatchKind.Regex;
                }
                else
                {
                    expression.Append(@"\\");
                }
            }
            else if (ch == '[')
            {
                pos = AppendClass(expression, pattern, pos);
                kind = MatchKind.Regex;
            }
            else if (RegexSpecial.Contains(ch))
            {
                expression.Append('\\').Append(ch);
            }
            else
            {
                expression.Append(ch);
            }
        }
        if (kind != MatchKind.Regex)
        {
            return (kind, null);
        }
        expression.Append(@"\z");
        try
        {
            return (kind, new Regex(expression.ToString(), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant));
        }
        catch (ArgumentException)
        {
            throw new GlobSyntaxException();
        }
    }

    // A class is copied member by member: "^" first negates, "-" between two members is a range, anything else
    // is literal (GlobSyntax has already checked the class is well formed). Returns the position after "]".
    private static int AppendClass(StringBuilder expression, string pattern, int pos)
    {
        expression.Append('[');
        if (pattern[pos] == '^')
        {
            expression.Append('^');
            pos++;
        }
        var first = true;
        while (first || pattern[pos] != ']')
        {
            first = false;
            var ch = pattern[pos++];
            if (ch == '\\')
            {
                ch = pattern[pos++];
            }
            else if (ch == '-')
            {
                expression.Append('-');
                continue;
            }
            if (char.IsAsciiLetterOrDigit(ch))
            {
                expression.Append(ch);
            }
            else
            {
                expression.Append('\\').Append(ch);
            }
        }
        expression.Append(']');
        return pos + 1;
    }

    private enum MatchKind
    {
        Exact,
        Prefix,
        Suffix,
        Regex,
    }
}
