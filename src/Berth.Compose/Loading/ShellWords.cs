using System.Text;

namespace Berth.Compose.Loading;

/// <summary>Splits a <c>command:</c> or <c>entrypoint:</c> string into words as a POSIX shell would (quotes, backslashes), without expanding anything.</summary>
internal static class ShellWords
{
    public static bool TrySplit(string text, out List<string> words, out string error)
    {
        words = [];
        error = "";
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            switch (c)
            {
                case '\\' when i + 1 < text.Length:
                    word.Append(text[++i]);
                    break;
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        error = "a single quote (') is never closed";
                        return false;
                    }

                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    i++;
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }

                        word.Append(text[i++]);
                    }

                    if (i >= text.Length)
                    {
                        error = "a double quote (\") is never closed";
                        return false;
                    }

                    break;
                default:
                    word.Append(c);
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return true;
    }
}
