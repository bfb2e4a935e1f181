using System.Text;
using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Core.Naming;

/// <summary>
/// A pattern as Go's <c>path.Match</c> / <c>filepath.Match</c> reads it: <c>*</c> any run of characters, <c>?</c> one,
/// <c>[a-z]</c> / <c>[^a-z]</c> a class (a <c>]</c> first in it is literal), <c>\</c> escapes the next character; none
/// of them matches <c>/</c>. Docker matches image reference filters (distribution's <c>FamiliarMatch</c>) and a
/// build's <c>COPY</c> sources with it. A malformed pattern is InvalidArgument (Go's <c>ErrBadPattern</c>).
/// </summary>
public static class PathPattern
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Whether <paramref name="text"/> holds any pattern character (else it only matches itself).</summary>
    public static bool IsPattern(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().IndexOfAny("*?[\\") >= 0;
    }

    public static Regex Compile(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[':
                    i = AppendClass(pattern, i, regex);
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant, MatchTimeout);
    }

    /// <summary>Appends the class starting at <paramref name="start"/> (its <c>[</c>); returns the index of its <c>]</c>.</summary>
    private static int AppendClass(string pattern, int start, StringBuilder regex)
    {
        int i = start + 1;
        regex.Append('[');
        if (i < pattern.Length && pattern[i] == '^')
        {
            regex.Append('^');
            i++;
        }

        bool empty = true;
        for (; i < pattern.Length && (pattern[i] != ']' || empty); i++)
        {
            char c = pattern[i] == '\\' && i + 1 < pattern.Length ? pattern[++i] : pattern[i];
            regex.Append(c == '-' && !empty ? "-" : Regex.Escape(c.ToString()).Replace("]", "\\]", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal));
            empty = false;
        }

        if (i >= pattern.Length || empty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"syntax error in pattern \"{pattern}\": an unterminated or empty character class");
        }

        regex.Append(']');
        return i;
    }
}
