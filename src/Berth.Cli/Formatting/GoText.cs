using System.Globalization;
using System.Text;

namespace Berth.Cli.Formatting;

/// <summary>Go's <c>strconv.Quote</c> and docker's <c>formatter.Ellipsis</c>, for <c>ps</c>'s COMMAND column.</summary>
public static class GoText
{
    private const string EllipsisMark = "…";

    /// <summary>Double-quoted with Go's escapes; printable Unicode stays as it is.</summary>
    public static string Quote(string text)
    {
        var output = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\a': output.Append("\\a"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case '\v': output.Append("\\v"); break;
                case 0xFFFD: output.Append("\\ufffd"); break; // what invalid UTF-8 decoded to
                case < 0x20 or 0x7F: output.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture)); break;
                default:
                    if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                        or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                    {
                        output.Append(rune.Value > 0xFFFF ? "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture) : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        output.Append(rune.ToString());
                    }

                    break;
            }
        }

        return output.Append('"').ToString();
    }

    /// <summary>At most <paramref name="maxWidth"/> display columns, the last one "…" when cut (wide East Asian runes count 2).</summary>
    public static string Ellipsis(string text, int maxWidth)
    {
        if (maxWidth <= 0)
        {
            return "";
        }

        var runes = text.EnumerateRunes().ToList();
        if (maxWidth == 1)
        {
            return runes.Count > 0 ? runes[0].ToString() : "";
        }

        var widths = new List<int>(runes.Count);
        var total = 0;
        foreach (var rune in runes)
        {
            total += IsWide(rune) ? 2 : 1;
            widths.Add(total);
        }

        if (total <= maxWidth)
        {
            return text;
        }

        var keep = 0;
        while (keep < widths.Count && widths[keep] <= maxWidth - 1)
        {
            keep++;
        }

        return string.Concat(runes.Take(keep).Select(r => r.ToString())) + EllipsisMark;
    }

    /// <summary>The East Asian wide and fullwidth blocks (what go-runewidth counts as 2 for the common cases).</summary>
    private static bool IsWide(Rune rune) => rune.Value is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3)
        or (>= 0xF900 and <= 0xFAFF) or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6)
        or (>= 0x1F300 and <= 0x1F64F) or (>= 0x1F900 and <= 0x1F9FF) or (>= 0x20000 and <= 0x3FFFD);
}
