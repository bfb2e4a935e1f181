using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace Berth.Build.Dockerfile;

/// <summary>
/// The argument shapes of Dockerfile instructions: the JSON (exec) form, quote-aware words, whitespace lists and
/// <c>name=value</c> pairs. Quotes and escapes stay in the words here; variable processing removes them later.
/// </summary>
internal static class ArgumentForms
{
    public const string NotStringArray = "when using JSON array syntax, arrays must be comprised of strings only";

    /// <summary>
    /// The exec form, or null when <paramref name="rest"/> is not a JSON array (then it is the shell form, even when
    /// it looks almost like JSON: <c>CMD ['a']</c> is a shell command). A JSON array with non-strings is an error.
    /// </summary>
    public static ImmutableArray<string>? TryParseJson(string rest)
    {
        var text = rest.TrimStart();
        if (!text.StartsWith('['))
        {
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            var items = ImmutableArray.CreateBuilder<string>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    throw new FormException(NotStringArray);
                }
                items.Add(item.GetString()!);
            }
            return items.ToImmutable();
        }
    }

    /// <summary>Words split at unquoted blanks; quotes and escapes are kept in the words (Docker's parseWords).</summary>
    public static List<string> Words(string rest, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quote = '\0';
        var inWord = false;
        var blankOk = false;
        for (var pos = 0; pos < rest.Length; pos++)
        {
            var ch = rest[pos];
            if (!inWord)
            {
                if (char.IsWhiteSpace(ch))
                {
                    continue;
                }
                inWord = true;
            }
            if (quote == '\0')
            {
                if (char.IsWhiteSpace(ch))
                {
                    if (blankOk || word.Length > 0)
                    {
                        words.Add(word.ToString());
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
                }
                else if (ch == escape)
                {
                    if (pos + 1 == rest.Length)
                    {
                        continue;
                    }
                    word.Append(ch);
                    ch = rest[++pos];
                }
                word.Append(ch);
                continue;
            }
            if (ch == quote)
            {
                quote = '\0';
            }
            else if (ch == escape && quote != '\'')
            {
                if (pos + 1 == rest.Length)
                {
                    continue;
                }
                word.Append(ch);
                ch = rest[++pos];
            }
            word.Append(ch);
        }
        if (inWord && (blankOk || word.Length > 0))
        {
            words.Add(word.ToString());
        }
        return words;
    }

    /// <summary>
    /// ENV and LABEL: <c>name=value …</c>, or the legacy <c>name value</c> when the first word has no '='
    /// (then the whole rest of the line is the value).
    /// </summary>
    public static List<KeyValue> NameValues(string rest, string keyword, char escape)
    {
        var words = Words(rest, escape);
        if (words.Count == 0)
        {
            return [];
        }
        if (!words[0].Contains('='))
        {
            var gap = CommandSplitter.IndexOfBlank(rest);
            if (gap < 0)
            {
                throw new NodeParseException($"{keyword} must have two arguments");
            }
            var valueStart = gap;
            while (valueStart < rest.Length && CommandSplitter.IsBlank(rest[valueStart]))
            {
                valueStart++;
            }
            return [new KeyValue(rest[..gap], rest[valueStart..])];
        }
        var pairs = new List<KeyValue>();
        foreach (var word in words)
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new NodeParseException($"Syntax error - can't find = in {GoFormat.Quote(word)}. Must be of the form: name=value");
            }
            pairs.Add(new KeyValue(word[..equals], word[(equals + 1)..]));
        }
        return pairs;
    }
}
