using System.Text.RegularExpressions;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Parser directives: <c># syntax=…</c>, <c># escape=\</c> or <c># escape=`</c>, <c># check=…</c>. They count only
/// before the first instruction, comment or blank line; a repeated one is an error; an unknown key ends them and
/// is an ordinary comment (Dockerfile reference, "Parser directives").
/// </summary>
internal sealed partial class ParserDirectives
{
    public const char DefaultEscape = '\\';

    private readonly HashSet<string> seen = [];
    private bool done;

    public char Escape { get; private set; } = DefaultEscape;

    public string? Syntax { get; private set; }

    /// <summary>Looks at one line (newline removed); true when it was a directive, which is then not a comment.</summary>
    public bool TryParse(string line, int lineNumber)
    {
        if (done)
        {
            return false;
        }
        if (!line.StartsWith('#'))
        {
            done = true;
            return false;
        }
        var match = DirectivePattern().Match(line[1..].TrimStart());
        var key = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
        if (key is not ("syntax" or "escape" or "check"))
        {
            done = true;
            return false;
        }
        var at = new SourceRange(lineNumber, lineNumber);
        if (!seen.Add(key))
        {
            throw new DockerfileException($"only one {key} parser directive can be used", at);
        }
        var value = match.Groups[2].Value;
        switch (key)
        {
            case "escape" when value is "`" or "\\":
                Escape = value[0];
                break;
            case "escape":
                throw new DockerfileException($"invalid escape token '{value}' does not match ` or \\", at);
            case "syntax":
                Syntax = value;
                break;
        }
        return true;
    }

    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex DirectivePattern();
}
