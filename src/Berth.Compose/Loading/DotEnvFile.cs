using System.Text;

namespace Berth.Compose.Loading;

/// <summary>
/// The <c>.env</c> and <c>env_file</c> format Compose reads: <c>KEY=VALUE</c> lines, <c>#</c> comments, an optional
/// <c>export</c>, <c>'single'</c> (literal) and <c>"double"</c> (escapes, may span lines) quotes, an unquoted value ending
/// at <c> #</c>. Unquoted and double-quoted values are interpolated (from <paramref name="lookup"/>, then the keys above);
/// a bare <c>KEY</c> takes its value from <paramref name="lookup"/> and is left out when that has none.
/// </summary>
internal static class DotEnvFile
{
    public static List<(string Key, string Value)> Parse(string text, string displayName, Func<string, string?> lookup, ProblemList problems)
    {
        var result = new List<(string Key, string Value)>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? Resolve(string name)
        {
            var index = result.FindLastIndex(e => e.Key == name);
            return lookup(name) ?? (index >= 0 ? result[index].Value : null);
        }

        for (var n = 0; n < lines.Length; n++)
        {
            var lineNumber = n + 1;
            var line = lines[n].TrimStart();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = (equals < 0 ? line : line[..equals]).Trim();
            if (!IsKey(key))
            {
                problems.Add(new SourceMark(displayName, lineNumber, 1), "", $"\"{key}\" is not a variable name; lines are KEY=VALUE");
                continue;
            }

            if (equals < 0)
            {
                if (lookup(key) is { } inherited)
                {
                    result.Add((key, inherited));
                }

                continue;
            }

            var raw = line[(equals + 1)..].TrimStart();
            string value;
            if (raw.Length > 0 && raw[0] is '\'' or '"')
            {
                var quote = raw[0];
                var body = new StringBuilder();
                var rest = raw[1..];
                int close;
                while ((close = ClosingQuote(rest, quote)) < 0)
                {
                    if (n + 1 >= lines.Length)
                    {
                        problems.Add(new SourceMark(displayName, lineNumber, equals + 2), "", $"the value of {key} opens a {quote} quote that is never closed");
                        break;
                    }

                    body.Append(rest).Append('\n');
                    rest = lines[++n];
                }

                if (close < 0)
                {
                    continue;
                }

                body.Append(rest[..close]);
                value = quote == '"' ? Unescape(body.ToString()) : body.ToString();
                if (quote == '\'')
                {
                    result.Add((key, value));
                    continue;
                }
            }
            else
            {
                var comment = raw.IndexOf(" #", StringComparison.Ordinal);
                value = (comment >= 0 ? raw[..comment] : raw).TrimEnd();
            }

            if (!Interpolator.TryInterpolate(value, Resolve, null, out var interpolated, out var error))
            {
                problems.Add(new SourceMark(displayName, lineNumber, equals + 2), key, error);
                continue;
            }

            result.Add((key, interpolated));
        }

        return result;
    }

    private static bool IsKey(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    private static int ClosingQuote(string text, char quote)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string text)
    {
        var output = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                output.Append(text[i]);
                continue;
            }

            output.Append(text[++i] switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                var other => other,
            });
        }

        return output.ToString();
    }
}
