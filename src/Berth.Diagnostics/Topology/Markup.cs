using System.Text;

namespace Berth.Diagnostics.Topology;

/// <summary>Text made safe for XML and HTML: element content and quoted attribute values alike.</summary>
internal static class Markup
{
    public static string Escape(string text)
    {
        var output = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            output.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                // XML 1.0 allows no other control characters, escaped or not.
                < ' ' when c is not ('\t' or '\n') => "?",
                _ => c.ToString(),
            });
        }

        return output.ToString();
    }
}
