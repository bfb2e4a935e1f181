using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Splits an instruction line into its keyword, its leading <c>--flag[=value]</c> words (quotes and the escape
/// token processed) and the rest. Flags end at the first word not starting with <c>--</c>, or after a bare <c>--</c>.
/// </summary>
internal static class CommandSplitter
{
    public static (string Keyword, List<string> Flags, string Arguments) Split(string line, char escape)
    {
        var trimmed = line.Trim();
        var gap = IndexOfBlank(trimmed);
        if (gap < 0)
        {
            return (trimmed, [], "");
        }
        var keyword = trimmed[..gap];
        var (flags, rest) = ExtractFlags(trimmed[gap..], escape);
        return (keyword, flags, rest.Trim());
    }

    /// <summary>Whitespace as Docker's parser splits on: space, tab, \v, \f, \r (not newline).</summary>
    public static bool IsBlank(char ch) => ch is ' ' or '\t' or '\v' or '\f' or '\r';

    public static int IndexOfBlank(string text, int start = 0)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (IsBlank(text[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Splits on runs of blanks, as Docker's parser does for FROM, EXPOSE and the list forms.</summary>
    public static List<string> SplitOnBlanks(string text)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || IsBlank(text[i]))
            {
                if (i > start)
                {
                    words.Add(text[start..i]);
                }
                start = i + 1;
            }
        }
        return words;
    }

    private static (List<string> Flags, string Arguments) ExtractFlags(string line, char escape)
    {
        var flags = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var quote = '\0';
        var blankOk = false;
        for (var pos = 0; pos <= line.Length; pos++)
        {
            if (!inWord)
            {
                if (pos == line.Length)
                {
                    break;
                }
                if (char.IsWhiteSpace(line[pos]))
                {
                    continue;
                }
                if (line[pos] != '-' || pos + 1 == line.Length || line[pos + 1] != '-')
                {
                    return (flags, line[pos..]);
                }
                inWord = true;
            }
            if (pos == line.Length)
            {
                if (word.ToString() is var last && last != "--" && (blankOk || last.Length > 0))
                {
                    flags.Add(last);
                }
                break;
            }
            var ch = line[pos];
            if (quote == '\0')
            {
                if (char.IsWhiteSpace(ch))
                {
                    var done = word.ToString();
                    if (done == "--")
                    {
                        return (flags, line[pos..]);
                    }
                    if (blankOk || done.Length > 0)
                    {
                        flags.Add(done);
                    }
                    word.Clear();
                    blankOk = false;
                    inWord = false;
                    continue;
                }
                if (ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                    continue;
                }
            }
            else if (ch == quote)
            {
                quote = '\0';
                continue;
            }
            if (ch == escape)
            {
                if (pos + 1 == line.Length)
                {
                    quote = '\0';
                    continue;
                }
                ch = line[++pos];
            }
            word.Append(ch);
        }
        return (flags, "");
    }
}
