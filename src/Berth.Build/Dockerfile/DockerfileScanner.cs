using System.Collections.Immutable;
using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Turns Dockerfile text into logical lines, as Docker's parser reads it: parser directives first; comment and
/// blank lines skipped, also between continuation lines; a line ending in the escape token (blanks after it
/// allowed) continues on the next; the first line of an instruction loses its leading whitespace, continuation
/// lines keep theirs; RUN/COPY/ADD lines naming heredocs take the following lines up to each delimiter.
/// </summary>
internal sealed class DockerfileScanner
{
    private readonly List<string> lines;
    private readonly ParserDirectives directives = new();
    private readonly List<string> warnings = [];
    private int next;

    private DockerfileScanner(string text)
    {
        lines = SplitLines(text.StartsWith('\uFEFF') ? text[1..] : text);
    }

    public static (ImmutableArray<LogicalLine> Lines, char Escape, string? Syntax, ImmutableArray<string> Warnings) Scan(string text)
    {
        var scanner = new DockerfileScanner(text);
        var result = scanner.ScanAll();
        return (result, scanner.directives.Escape, scanner.directives.Syntax, [.. scanner.warnings]);
    }

    private ImmutableArray<LogicalLine> ScanAll()
    {
        var result = ImmutableArray.CreateBuilder<LogicalLine>();
        while (next < lines.Count)
        {
            var raw = lines[next++];
            var start = next;
            var first = TrimNewline(raw).TrimStart();
            if (directives.TryParse(first, start) || IsComment(first))
            {
                continue;
            }
            var (text, ended) = TrimContinuation(first);
            if (ended && text.Length == 0)
            {
                continue;
            }
            var joined = new StringBuilder(text);
            var emptyContinuation = false;
            while (!ended && next < lines.Count)
            {
                var continued = TrimNewline(lines[next++]);
                directives.TryParse(continued, next);
                if (IsComment(continued))
                {
                    continue;
                }
                if (continued.Trim().Length == 0)
                {
                    emptyContinuation = true;
                    continue;
                }
                (text, ended) = TrimContinuation(continued);
                joined.Append(text);
            }
            var line = joined.ToString();
            if (emptyContinuation)
            {
                warnings.Add("Empty continuation line found in: " + line);
            }
            var heredocs = ReadHeredocs(line, start);
            result.Add(new LogicalLine(line, new SourceRange(start, next), heredocs));
        }
        return result.ToImmutable();
    }

    private ImmutableArray<Heredoc> ReadHeredocs(string line, int start)
    {
        if (!line.Contains("<<", StringComparison.Ordinal) || !MayHaveHeredocs(line))
        {
            return [];
        }
        List<Heredoc> headers;
        try
        {
            headers = HeredocScanner.FindHeaders(line);
        }
        catch (DockerfileException e)
        {
            throw new DockerfileException(e.Reason, new SourceRange(start, next));
        }
        var bodies = ImmutableArray.CreateBuilder<Heredoc>(headers.Count);
        foreach (var header in headers)
        {
            var content = new StringBuilder();
            var terminated = false;
            while (next < lines.Count)
            {
                var body = lines[next++];
                var candidate = TrimNewline(body);
                if ((header.Chomp ? candidate.TrimStart('\t') : candidate) == header.Name)
                {
                    terminated = true;
                    break;
                }
                content.Append(body);
            }
            if (!terminated)
            {
                throw new DockerfileException("unterminated heredoc", new SourceRange(start, next));
            }
            bodies.Add(header with { Content = content.ToString() });
        }
        return bodies.MoveToImmutable();
    }

    // Heredocs belong to RUN, COPY and ADD in their shell form, also as an ONBUILD trigger.
    private bool MayHaveHeredocs(string line)
    {
        var (keyword, _, rest) = CommandSplitter.Split(line, directives.Escape);
        if (keyword.Equals("ONBUILD", StringComparison.OrdinalIgnoreCase))
        {
            (keyword, _, rest) = CommandSplitter.Split(rest, directives.Escape);
        }
        if (keyword.ToUpperInvariant() is not ("RUN" or "COPY" or "ADD"))
        {
            return false;
        }
        try
        {
            return ArgumentForms.TryParseJson(rest) is null;
        }
        catch (FormException)
        {
            return false;
        }
    }

    private (string Text, bool Ended) TrimContinuation(string line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t')
        {
            end--;
        }
        var escape = directives.Escape;
        if (end == 0 || line[end - 1] != escape || (end >= 2 && line[end - 2] == escape))
        {
            return (line, true);
        }
        return (line[..(end - 1)], false);
    }

    private static bool IsComment(string line) => line.TrimStart().StartsWith('#');

    private static string TrimNewline(string line) => line.TrimEnd('\r', '\n');

    // Lines keep their terminators: heredoc bodies are taken byte for byte.
    private static List<string> SplitLines(string text)
    {
        var result = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            result.Add(text[start..end]);
            start = end;
        }
        return result;
    }
}
