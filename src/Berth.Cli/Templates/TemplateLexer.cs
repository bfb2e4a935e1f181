using System.Globalization;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>Splits the inside of one action into tokens (Go text/template's lexer, minus char constants and complex numbers).</summary>
public static class TemplateLexer
{
    public static List<TemplateToken> Tokenize(string template, int start, int end)
    {
        var tokens = new List<TemplateToken>();
        var i = start;
        var spaced = true;
        while (i < end)
        {
            var c = template[i];
            if (char.IsWhiteSpace(c))
            {
                spaced = true;
                i++;
                continue;
            }

            var begin = i;
            TemplateTokenKind kind;
            if (c == '.' && !(i + 1 < end && char.IsAsciiDigit(template[i + 1])))
            {
                i++;
                while (i < end && IsIdentifierChar(template[i]))
                {
                    i++;
                }

                kind = i == begin + 1 ? TemplateTokenKind.Dot : TemplateTokenKind.Field;
            }
            else if (c == '$')
            {
                i++;
                while (i < end && IsIdentifierChar(template[i]))
                {
                    i++;
                }

                kind = TemplateTokenKind.Variable;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < end && IsIdentifierChar(template[i]))
                {
                    i++;
                }

                kind = TemplateTokenKind.Identifier;
            }
            else if (c == '"' || c == '`')
            {
                i = SkipString(template, i, end);
                kind = TemplateTokenKind.String;
            }
            else if (char.IsAsciiDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < end && char.IsAsciiDigit(template[i + 1])))
            {
                i++;
                while (i < end && (char.IsAsciiLetterOrDigit(template[i]) || template[i] == '.' || template[i] == '_'))
                {
                    i++;
                }

                kind = TemplateTokenKind.Number;
            }
            else if (c == ':' && i + 1 < end && template[i + 1] == '=')
            {
                i += 2;
                kind = TemplateTokenKind.Declare;
            }
            else
            {
                i++;
                kind = c switch
                {
                    '|' => TemplateTokenKind.Pipe,
                    '(' => TemplateTokenKind.LeftParen,
                    ')' => TemplateTokenKind.RightParen,
                    '=' => TemplateTokenKind.Assign,
                    ',' => TemplateTokenKind.Comma,
                    _ => throw new TemplateException(
                        $"template: :{TemplateParser.LineOf(template, begin)}: unexpected \"{c}\" in command", isParseError: true),
                };
            }

            tokens.Add(new TemplateToken(kind, template[begin..i], begin, spaced));
            spaced = false;
        }

        return tokens;
    }

    /// <summary>Returns the index just after the closing quote, or throws for an unterminated string.</summary>
    public static int SkipString(string template, int i, int end)
    {
        var quote = template[i++];
        while (i < end)
        {
            var c = template[i];
            if (c == quote)
            {
                return i + 1;
            }

            if (quote == '"' && (c == '\\'))
            {
                i++;
            }
            else if (quote == '"' && c == '\n')
            {
                break;
            }

            i++;
        }

        throw new TemplateException($"template: :{TemplateParser.LineOf(template, i)}: unterminated quoted string", isParseError: true);
    }

    /// <summary>The value of a Go string literal (interpreted or raw).</summary>
    public static string Unquote(string literal, string template, int position)
    {
        if (literal[0] == '`')
        {
            return literal[1..^1];
        }

        var text = new StringBuilder();
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            var e = literal[++i];
            switch (e)
            {
                case 'n': text.Append('\n'); break;
                case 't': text.Append('\t'); break;
                case 'r': text.Append('\r'); break;
                case 'a': text.Append('\a'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'v': text.Append('\v'); break;
                case '\\': text.Append('\\'); break;
                case '"': text.Append('"'); break;
                case '\'': text.Append('\''); break;
                case 'x' when i + 2 < literal.Length:
                    text.Append((char)int.Parse(literal.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case 'u' when i + 4 < literal.Length:
                    text.Append((char)int.Parse(literal.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default:
                    throw new TemplateException(
                        $"template: :{TemplateParser.LineOf(template, position)}: invalid syntax in string {literal}", isParseError: true);
            }
        }

        return text.ToString();
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
