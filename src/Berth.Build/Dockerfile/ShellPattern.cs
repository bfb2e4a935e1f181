namespace Berth.Build.Dockerfile;

/// <summary>
/// The shell patterns of <c>${v#p}</c>, <c>${v%p}</c> and <c>${v/p/r}</c>: <c>*</c> any run of characters,
/// <c>?</c> one character, <c>\</c> makes the next one literal (no bracket expressions, as in BuildKit).
/// Matching is a table walk over pattern × text, so no pattern can make it take exponential time.
/// </summary>
internal static class ShellPattern
{
    public static string TrimPrefix(string value, string pattern, bool longest)
    {
        var tokens = Tokenize(pattern);
        if (longest)
        {
            for (var length = value.Length; length >= 0; length--)
            {
                if (Matches(tokens, value.AsSpan(0, length)))
                {
                    return value[length..];
                }
            }
            return value;
        }
        for (var length = 0; length <= value.Length; length++)
        {
            if (Matches(tokens, value.AsSpan(0, length)))
            {
                return value[length..];
            }
        }
        return value;
    }

    public static string TrimSuffix(string value, string pattern, bool longest)
    {
        var tokens = Tokenize(pattern);
        if (longest)
        {
            for (var start = 0; start <= value.Length; start++)
            {
                if (Matches(tokens, value.AsSpan(start)))
                {
                    return value[..start];
                }
            }
            return value;
        }
        for (var start = value.Length; start >= 0; start--)
        {
            if (Matches(tokens, value.AsSpan(start)))
            {
                return value[..start];
            }
        }
        return value;
    }

    /// <summary>Replaces the leftmost longest match (every one with <paramref name="all"/>).</summary>
    public static string Replace(string value, string pattern, string replacement, bool all)
    {
        var tokens = Tokenize(pattern);
        var result = new System.Text.StringBuilder();
        var start = 0;
        while (start <= value.Length)
        {
            var end = -1;
            for (var candidate = value.Length; candidate >= start; candidate--)
            {
                if (Matches(tokens, value.AsSpan(start, candidate - start)))
                {
                    end = candidate;
                    break;
                }
            }
            if (end < 0 || (end == start && tokens.Count > 0 && !AllStars(tokens)))
            {
                if (start < value.Length)
                {
                    result.Append(value[start]);
                }
                start++;
                continue;
            }
            result.Append(replacement);
            if (!all)
            {
                return result.Append(value.AsSpan(end)).ToString();
            }
            if (end == start)
            {
                if (start < value.Length)
                {
                    result.Append(value[start]);
                }
                start++;
            }
            else
            {
                start = end;
            }
        }
        return result.ToString();
    }

    private static bool AllStars(List<Token> tokens) => tokens.TrueForAll(t => t.Kind == TokenKind.Star);

    private static bool Matches(List<Token> tokens, ReadOnlySpan<char> text)
    {
        // reachable[j]: the tokens so far can consume exactly text[..j].
        var reachable = new bool[text.Length + 1];
        reachable[0] = true;
        foreach (var token in tokens)
        {
            var next = new bool[text.Length + 1];
            for (var j = 0; j <= text.Length; j++)
            {
                if (!reachable[j])
                {
                    continue;
                }
                switch (token.Kind)
                {
                    case TokenKind.Star:
                        Array.Fill(next, true, j, text.Length + 1 - j);
                        j = text.Length;
                        break;
                    case TokenKind.AnyChar when j < text.Length:
                        next[j + 1] = true;
                        break;
                    case TokenKind.Literal when j < text.Length && text[j] == token.Char:
                        next[j + 1] = true;
                        break;
                }
            }
            reachable = next;
        }
        return reachable[text.Length];
    }

    private static List<Token> Tokenize(string pattern)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (ch == '\\' && i + 1 < pattern.Length)
            {
                tokens.Add(new Token(TokenKind.Literal, pattern[++i]));
            }
            else
            {
                tokens.Add(new Token(ch switch { '*' => TokenKind.Star, '?' => TokenKind.AnyChar, _ => TokenKind.Literal }, ch));
            }
        }
        return tokens;
    }

    private enum TokenKind
    {
        Literal,
        AnyChar,
        Star,
    }

    private readonly record struct Token(TokenKind Kind, char Char);
}
