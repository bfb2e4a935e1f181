using System.Text;

namespace Berth.Compose.Loading;

/// <summary>
/// Compose's variable interpolation: <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR-default}</c>,
/// <c>${VAR:?error}</c>, <c>${VAR?error}</c>, <c>${VAR:+replacement}</c>, <c>${VAR+replacement}</c>, and <c>$$</c> for a
/// literal <c>$</c>. Defaults and replacements may themselves hold variables. With a colon the empty value counts as unset.
/// </summary>
internal static class Interpolator
{
    /// <summary>The text with every variable replaced; false with <paramref name="error"/> set when it cannot be.</summary>
    /// <param name="unset">Called with each variable that was used without a value and without a default (Compose warns).</param>
    public static bool TryInterpolate(string text, Func<string, string?> lookup, Action<string>? unset, out string result, out string error)
    {
        result = text;
        error = "";
        if (!text.Contains('$'))
        {
            return true;
        }

        var output = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$')
            {
                output.Append(c);
                i++;
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '$')
            {
                output.Append('$');
                i += 2;
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = MatchingBrace(text, i + 1);
                if (close < 0)
                {
                    error = $"invalid interpolation format in \"{text}\": \"${{\" is never closed with \"}}\"";
                    return false;
                }

                if (!TryBraced(text[(i + 2)..close], lookup, unset, output, out error))
                {
                    return false;
                }

                i = close + 1;
                continue;
            }

            var nameLength = NameLength(text, i + 1);
            if (nameLength == 0)
            {
                error = $"invalid interpolation format in \"{text}\": a \"$\" must start a variable ($VAR, ${{VAR}}); write \"$$\" for a literal \"$\"";
                return false;
            }

            var name = text.Substring(i + 1, nameLength);
            output.Append(Value(name, lookup, unset));
            i += 1 + nameLength;
        }

        result = output.ToString();
        return true;
    }

    private static bool TryBraced(string body, Func<string, string?> lookup, Action<string>? unset, StringBuilder output, out string error)
    {
        error = "";
        var nameLength = NameLength(body, 0);
        if (nameLength == 0)
        {
            error = $"invalid interpolation format in \"${{{body}}}\": expected a variable name after \"${{\"";
            return false;
        }

        var name = body[..nameLength];
        var rest = body[nameLength..];
        if (rest.Length == 0)
        {
            output.Append(Value(name, lookup, unset));
            return true;
        }

        var colon = rest[0] == ':';
        var op = colon ? (rest.Length > 1 ? rest[1] : '\0') : rest[0];
        var argument = rest[(colon ? 2 : 1)..];
        var value = lookup(name);
        var missing = value is null || (colon && value.Length == 0);
        switch (op)
        {
            case '-':
                if (!missing)
                {
                    output.Append(value);
                    return true;
                }

                return Nested(argument, lookup, unset, output, out error);
            case '?':
                if (!missing)
                {
                    output.Append(value);
                    return true;
                }

                if (!TryInterpolate(argument, lookup, unset, out var message, out error))
                {
                    return false;
                }

                error = $"required variable {name} is missing a value" + (message.Length > 0 ? ": " + message : "");
                return false;
            case '+':
                return missing || Nested(argument, lookup, unset, output, out error);
            default:
                error = $"invalid interpolation format in \"${{{body}}}\": after the name comes }}, :-, -, :?, ?, :+ or +";
                return false;
        }
    }

    private static bool Nested(string text, Func<string, string?> lookup, Action<string>? unset, StringBuilder output, out string error)
    {
        if (!TryInterpolate(text, lookup, unset, out var value, out error))
        {
            return false;
        }

        output.Append(value);
        return true;
    }

    private static string Value(string name, Func<string, string?> lookup, Action<string>? unset)
    {
        var value = lookup(name);
        if (value is null)
        {
            unset?.Invoke(name);
        }

        return value ?? "";
    }

    private static int NameLength(string text, int start)
    {
        var i = start;
        while (i < text.Length && (text[i] == '_' || char.IsAsciiLetter(text[i]) || (i > start && char.IsAsciiDigit(text[i]))))
        {
            i++;
        }

        return i - start;
    }

    /// <summary>The index of the brace closing the one at <paramref name="open"/>, counting nested <c>${…}</c>; -1 if none.</summary>
    private static int MatchingBrace(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
