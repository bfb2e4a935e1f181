namespace Berth.Cli.Templates;

/// <summary>Go's <c>time.Time.String()</c> layout, <c>2006-01-02 15:04:05.999999999 -0700 MST</c>, for RFC 3339 input.</summary>
public static class GoTime
{
    private const string GoZeroTime = "0001-01-01 00:00:00 +0000 UTC";

    public static string Format(string rfc3339)
    {
        // Parsed by hand: DateTimeOffset keeps only 7 fractional digits, Go keeps 9.
        var s = rfc3339;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
        {
            return GoZeroTime;
        }

        var i = 19;
        var fraction = "";
        if (i < s.Length && s[i] == '.')
        {
            var start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            fraction = s[start..i].TrimEnd('0');
        }

        var zone = s[i..];
        string offset;
        string zoneName;
        if (zone is "Z" or "z")
        {
            offset = "+0000";
            zoneName = "UTC";
        }
        else if (zone.Length == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':')
        {
            offset = string.Concat(zone.AsSpan(0, 3), zone.AsSpan(4, 2));
            zoneName = offset;
        }
        else
        {
            return GoZeroTime;
        }

        var text = new System.Text.StringBuilder();
        text.Append(s, 0, 10).Append(' ').Append(s, 11, 8);
        if (fraction.Length > 0)
        {
            text.Append('.').Append(fraction);
        }

        text.Append(' ').Append(offset).Append(' ').Append(zoneName);
        return text.ToString();
    }
}
