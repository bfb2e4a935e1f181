using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Docker's shell-like word processing for Dockerfile values: quotes, the escape token and <c>$VAR</c> /
/// <c>${VAR…}</c> substitution (never command substitution, never globbing). One instance processes one word;
/// it is cheap and not shared between threads. The modes exist for the parser's own uses: heredoc delimiters are
/// looked for with quotes and escapes kept and unknown variables left as written.
/// </summary>
internal sealed partial class ShellLexer
{
    private const int End = -1;

    private readonly string source;
    private readonly char escape;
    private readonly IReadOnlyDictionary<string, string> env;
    private readonly LexMode mode;
    private int position;

    private ShellLexer(string source, char escape, IReadOnlyDictionary<string, string> env, LexMode mode)
    {
        this.source = source;
        this.escape = escape;
        this.env = env;
        this.mode = mode;
    }

    /// <summary>Processes <paramref name="word"/>: the result as one string and as whitespace-split words.</summary>
    public static (string Result, List<string> Words) Process(
        string word, char escape, IReadOnlyDictionary<string, string> env, LexMode mode = default)
    {
        var lexer = new ShellLexer(word, escape, env, mode);
        try
        {
            return lexer.ProcessUntil(End, mode.KeepEscapes);
        }
        catch (LexException e)
        {
            throw new DockerfileException($"failed to process {GoFormat.Quote(word)}: {e.Message}");
        }
    }

    private int Peek() => position < source.Length ? source[position] : End;

    private int Next() => position < source.Length ? source[position++] : End;

    private (string Result, List<string> Words) ProcessUntil(int stop, bool keepEscapes)
    {
        var result = new StringBuilder();
        var words = new WordCollector();
        while (Peek() != End)
        {
            var ch = Peek();
            if (stop != End && ch == stop)
            {
                position++;
                return (result.ToString(), words.Finish());
            }
            if (ch == '$')
            {
                var value = ProcessDollar();
                result.Append(value);
                words.AddExpanded(value);
            }
            else if (ch == '<')
            {
                var value = ProcessPossibleHeredoc();
                result.Append(value);
                words.AddLiteral(value);
            }
            else if (ch == '\'' && !mode.SkipQuotes)
            {
                var value = ProcessSingleQuote();
                result.Append(value);
                words.AddLiteral(value);
            }
            else if (ch == '"' && !mode.SkipQuotes)
            {
                var value = ProcessDoubleQuote(keepEscapes);
                result.Append(value);
                words.AddLiteral(value);
            }
            else
            {
                position++;
                if (ch == escape)
                {
                    if (keepEscapes)
                    {
                        words.AddLiteral((char)ch);
                        result.Append((char)ch);
                    }
                    ch = Next();
                    if (ch == End)
                    {
                        break;
                    }
                    words.AddLiteral((char)ch);
                }
                else
                {
                    words.Add((char)ch);
                }
                result.Append((char)ch);
            }
        }
        if (stop != End)
        {
            throw new LexException($"unexpected end of statement while looking for matching {(char)stop}");
        }
        return (result.ToString(), words.Finish());
    }

    // Single quotes keep everything literally; a single quote cannot be escaped inside them (sh's rule).
    private string ProcessSingleQuote()
    {
        var result = new StringBuilder();
        var ch = Next();
        if (mode.KeepQuotes)
        {
            result.Append((char)ch);
        }
        while (true)
        {
            ch = Next();
            if (ch == End)
            {
                throw new LexException("unexpected end of statement while looking for matching single-quote");
            }
            if (ch == '\'')
            {
                if (mode.KeepQuotes)
                {
                    result.Append((char)ch);
                }
                return result.ToString();
            }
            result.Append((char)ch);
        }
    }

    // Double quotes keep everything but $ substitution; the escape token escapes only " $ and itself.
    private string ProcessDoubleQuote(bool keepEscapes)
    {
        var result = new StringBuilder();
        var ch = Next();
        if (mode.KeepQuotes)
        {
            result.Append((char)ch);
        }
        while (true)
        {
            switch (Peek())
            {
                case End:
                    throw new LexException("unexpected end of statement while looking for matching double-quote");
                case '"':
                    ch = Next();
                    if (mode.KeepQuotes)
                    {
                        result.Append((char)ch);
                    }
                    return result.ToString();
                case '$':
                    result.Append(ProcessDollar());
                    break;
                default:
                    ch = Next();
                    if (ch == escape)
                    {
                        var next = Peek();
                        if (next == End)
                        {
                            continue;
                        }
                        if (next == '"' || next == '$' || next == escape)
                        {
                            if (keepEscapes)
                            {
                                result.Append((char)ch);
                            }
                            ch = Next();
                        }
                    }
                    result.Append((char)ch);
                    break;
            }
        }
    }

    // "<<" and the blanks after it stay one word, so "<< EOF" is seen as a heredoc delimiter.
    private string ProcessPossibleHeredoc()
    {
        position++;
        if (Peek() != '<')
        {
            return "<";
        }
        position++;
        var start = position;
        while (Peek() is ' ' or '\t')
        {
            position++;
        }
        return "<<" + source[start..position];
    }

    private sealed class LexException(string message) : Exception(message);
}
