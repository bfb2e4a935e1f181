using System.Text;
using System.Text.RegularExpressions;
using Berth.Runtime.Images;

namespace Berth.Api.Images;

/// <summary>
/// distribution/reference's <c>FamiliarMatch</c>: Go's <c>path.Match</c> (<c>*</c> and <c>?</c> stop at <c>/</c>,
/// <c>[…]</c> classes, <c>\</c> escapes) against <c>bb:latest</c>, then against the name alone (<c>bb</c>).
/// </summary>
internal static class ReferencePattern
{
    public static bool Matches(string pattern, ImageReference reference)
    {
        var regex = ToRegex(pattern);
        return regex.IsMatch(reference.FamiliarString) || regex.IsMatch(reference.FamiliarRepository);
    }

    private static Regex ToRegex(string pattern)
    {
        var text = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*':
                    text.Append("[^/]*");
                    break;
                case '?':
                    text.Append("[^/]");
                    break;
                case '\\' when i + 1 < pattern.Length:
                    text.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[':
                    int end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        text.Append(Regex.Escape("["));
                        break;
                    }

                    string body = pattern[(i + 1)..end];
                    text.Append('[').Append(body.StartsWith('^') ? "^" + Regex.Escape(body[1..]).Replace("\\-", "-", StringComparison.Ordinal) : Regex.Escape(body).Replace("\\-", "-", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                default:
                    text.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(text.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
