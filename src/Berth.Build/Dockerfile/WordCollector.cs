using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Splits processed text into words at unquoted, unescaped whitespace — including whitespace that came out of a
/// variable's value (<c>EXPOSE $PORTS</c> with <c>PORTS="80 443"</c> gives two ports).
/// </summary>
internal sealed class WordCollector
{
    private readonly StringBuilder buffer = new();
    private readonly List<string> words = [];
    private bool inWord;

    public void Add(char ch)
    {
        if (char.IsWhiteSpace(ch))
        {
            if (inWord && buffer.Length != 0)
            {
                words.Add(buffer.ToString());
                buffer.Clear();
                inWord = false;
            }
            return;
        }
        AddLiteral(ch);
    }

    public void AddLiteral(char ch)
    {
        buffer.Append(ch);
        inWord = true;
    }

    public void AddLiteral(string text)
    {
        buffer.Append(text);
        inWord = true;
    }

    public void AddExpanded(string text)
    {
        foreach (var ch in text)
        {
            Add(ch);
        }
    }

    public List<string> Finish()
    {
        if (buffer.Length > 0)
        {
            words.Add(buffer.ToString());
            buffer.Clear();
            inWord = false;
        }
        return words;
    }
}
