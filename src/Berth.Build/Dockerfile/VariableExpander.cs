using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Dockerfile variable substitution: <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR-default}</c>,
/// <c>${VAR:+alt}</c>, <c>${VAR+alt}</c>, <c>${VAR:?message}</c>, <c>${VAR?message}</c> and BuildKit's
/// <c>#</c>, <c>%</c> and <c>/</c> pattern forms. Single quotes are literal, double quotes allow substitution,
/// the escape token escapes <c>$</c> and quotes; quotes are removed from the result. Errors read like Docker's:
/// <c>failed to process "${x:?missing}": x: missing</c>.
/// </summary>
public sealed class VariableExpander(char escapeToken = ParserDirectives.DefaultEscape)
{
    private static readonly LexMode HeredocBody = new(KeepQuotes: true, KeepEscapes: false, KeepUnset: false, SkipQuotes: true);

    public char EscapeToken { get; } = escapeToken;

    /// <summary>One word in, one string out (spaces kept): what ENV, LABEL, COPY, WORKDIR, USER… use.</summary>
    public string Expand(string word, IReadOnlyDictionary<string, string> variables) =>
        ShellLexer.Process(word, EscapeToken, variables).Result;

    /// <summary>
    /// A COPY/ADD heredoc body whose delimiter was not quoted, as BuildKit expands it (SourcesAndDest.ExpandRaw):
    /// <c>$VAR</c> forms substituted, an unset variable empty; the backslash escapes the next character whatever the
    /// escape directive says (<c>\$</c> is <c>$</c>, <c>\\</c> is <c>\</c>); quotes are ordinary characters and kept.
    /// </summary>
    public static string ExpandHeredoc(string body, IReadOnlyDictionary<string, string> variables) =>
        ShellLexer.Process(body, ParserDirectives.DefaultEscape, variables, HeredocBody).Result;

    /// <summary>The result split into words after substitution, as EXPOSE uses it (<c>$PORTS</c> → two ports).</summary>
    public ImmutableArray<string> ExpandWords(string word, IReadOnlyDictionary<string, string> variables) =>
        [.. ShellLexer.Process(word, EscapeToken, variables).Words];
}
