using System.Globalization;
using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Go's <c>fmt</c> renderings that Docker's classic builder writes into image history (<c>CMD %q</c>,
/// <c>VOLUME %v</c>, <c>HEALTHCHECK %q</c>) and into error messages, so Berth's history and cache keys read the same.
/// </summary>
internal static class GoFormat
{
    /// <summary>strconv.Quote: double-quoted, with Go escapes for quotes, backslashes and unprintable characters.</summary>
    public static string Quote(string text)
    {
        var result = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            AppendEscaped(result, rune, '"');
        }
        return result.Append('"').ToString();
    }

    /// <summary>%q of an integer: a single-quoted rune literal, e.g. <c>'\x03'</c> for 3 retries.</summary>
    public static string QuoteRune(int value)
    {
        var result = new StringBuilder("'");
        AppendEscaped(result, Rune.IsValid(value) ? new Rune(value) : Rune.ReplacementChar, '\'');
        return result.Append('\'').ToString();
    }

    /// <summary>%q of a string slice: <c>["a" "b"]</c>.</summary>
    public static string QuoteList(IEnumerable<string> items) => "[" + string.Join(' ', items.Select(Quote)) + "]";

    /// <summary>%v of a string slice: <c>[a b]</c>.</summary>
    public static string List(IEnumerable<string> items) => "[" + string.Join(' ', items) + "]";

    /// <summary>time.Duration.String: <c>1h2m3.5s</c>, <c>250ms</c>, <c>0s</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        var nanoseconds = (decimal)duration.Ticks * 100;
        if (nanoseconds == 0)
        {
            return "0s";
        }
        var sign = nanoseconds < 0 ? "-" : "";
        nanoseconds = Math.Abs(nanoseconds);
        if (nanoseconds < 1_000_000_000)
        {
            var (scale, unit) = nanoseconds switch
            {
                < 1_000 => (1m, "ns"),
                < 1_000_000 => (1_000m, "µs"),
                _ => (1_000_000m, "ms"),
            };
            return sign + Number(nanoseconds / scale) + unit;
        }
        var hours = decimal.Floor(nanoseconds / 3_600_000_000_000m);
        nanoseconds -= hours * 3_600_000_000_000m;
        var minutes = decimal.Floor(nanoseconds / 60_000_000_000m);
        nanoseconds -= minutes * 60_000_000_000m;
        var text = Number(nanoseconds / 1_000_000_000m) + "s";
        if (hours > 0)
        {
            return sign + Number(hours) + "h" + Number(minutes) + "m" + text;
        }
        return minutes > 0 ? sign + Number(minutes) + "m" + text : sign + text;
    }

    private static string Number(decimal value) =>
        value.ToString("0.#########", CultureInfo.InvariantCulture);

    private static void AppendEscaped(StringBuilder result, Rune rune, char quote)
    {
        switch (rune.Value)
        {
            case '\a': result.Append(@"\a"); return;
            case '\b': result.Append(@"\b"); return;
            case '\f': result.Append(@"\f"); return;
            case '\n': result.Append(@"\n"); return;
            case '\r': result.Append(@"\r"); return;
            case '\t': result.Append(@"\t"); return;
            case '\v': result.Append(@"\v"); return;
            case '\\': result.Append(@"\\"); return;
        }
        if (rune.Value == quote)
        {
            result.Append('\\').Append(quote);
        }
        else if (rune.Value < 0x20 || rune.Value == 0x7f)
        {
            result.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
        }
        else if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                 or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
        {
            result.Append(rune.Value > 0xffff ? "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture) : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            result.Append(rune.ToString());
        }
    }
}
