using System.Text.RegularExpressions;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Finds heredoc delimiters in an instruction line (<c>&lt;&lt;EOF</c>, <c>&lt;&lt;-EOF</c>, <c>3&lt;&lt;"EOF"</c>,
/// several on one line) the way BuildKit does: the line is split into shell words with nothing removed, and a
/// word <c>[fd]&lt;&lt;[-]name</c> whose name is one shell word is a delimiter. Heredocs are always lexed with
/// the backslash, whatever the escape directive says (as BuildKit).
/// </summary>
internal static partial class HeredocScanner
{
    private static readonly Dictionary<string, string> NoVariables = [];

    public static List<Heredoc> FindHeaders(string line)
    {
        List<string> words;
        try
        {
            words = ShellLexer.Process(line, ParserDirectives.DefaultEscape, NoVariables, LexMode.Raw).Words;
        }
        catch (DockerfileException)
        {
            // An unbalanced quote means no heredoc here; the instruction's own checks report the rest.
            return [];
        }
        var headers = new List<Heredoc>();
        foreach (var word in words)
        {
            if (TryParseHeader(word) is { } header)
            {
                headers.Add(header);
            }
        }
        return headers;
    }

    /// <summary>A heredoc delimiter word, or null when <paramref name="word"/> is not one (COPY's sources use this).</summary>
    public static Heredoc? TryParseHeader(string word)
    {
        var match = HeaderPattern().Match(word);
        if (!match.Success || match.Groups[3].Length == 0)
        {
            return null;
        }
        var rest = match.Groups[3].Value;
        var keepUnset = LexMode.Raw with { KeepQuotes = false, KeepEscapes = false };
        var unquoted = ShellLexer.Process(rest, ParserDirectives.DefaultEscape, NoVariables, keepUnset).Words;
        if (unquoted.Count != 1)
        {
            return null;
        }
        var raw = ShellLexer.Process(rest, ParserDirectives.DefaultEscape, NoVariables, keepUnset with { KeepQuotes = true }).Words;
        // Any quoted part of the delimiter turns expansion of the body off (POSIX sh, 2.7.4).
        var expand = raw.Count == 1 && QuoteCount(unquoted[0]) == QuoteCount(raw[0]);
        var descriptor = match.Groups[1].Length == 0 || !int.TryParse(match.Groups[1].ValueSpan, out var fd) ? 0 : fd;
        return new Heredoc(unquoted[0], "", expand, match.Groups[2].Length > 0, descriptor);
    }

    public static string StripLeadingTabs(string content) => LeadingTabs().Replace(content, "");

    private static int QuoteCount(string word) => word.Count(c => c is '\'' or '"');

    [GeneratedRegex(@"^(\d*)<<(-?)\s*([^<]*)$")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^\t+", RegexOptions.Multiline)]
    private static partial Regex LeadingTabs();
}
