using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Cli.Templates;

/// <summary>
/// JSON written the way Go's encoding/json writes it: compact, with HTML escaping off as docker's
/// <c>json</c> template function sets it (U+2028/9 and control characters escaped, everything else literal); and <see cref="Indent"/>, Go's <c>json.Indent</c>, which re-indents raw JSON without reordering or re-encoding it.
/// </summary>
public static class GoJson
{
    public static void Write(StringBuilder output, object? value)
    {
        switch (value)
        {
            case null:
                output.Append("null");
                break;
            case string s:
                WriteString(output, s);
                break;
            case bool b:
                output.Append(b ? "true" : "false");
                break;
            case long l:
                output.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                output.Append(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case TemplateTime time:
                WriteString(output, time.Rfc3339);
                break;
            case JsonElement element:
                WriteElement(output, element);
                break;
            case ITemplateObject obj:
                obj.WriteJson(output);
                break;
            case IReadOnlyList<object?> list:
                output.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Append(',');
                    }

                    Write(output, list[i]);
                }

                output.Append(']');
                break;
            default:
                WriteString(output, value.ToString() ?? "");
                break;
        }
    }

    public static void WriteElement(StringBuilder output, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                output.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject())
                {
                    if (!first)
                    {
                        output.Append(',');
                    }

                    first = false;
                    WriteString(output, property.Name);
                    output.Append(':');
                    WriteElement(output, property.Value);
                }

                output.Append('}');
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!firstItem)
                    {
                        output.Append(',');
                    }

                    firstItem = false;
                    WriteElement(output, item);
                }

                output.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(output, element.GetString()!);
                break;
            default:
                output.Append(element.GetRawText());
                break;
        }
    }

    /// <summary>
    /// A JSON string as Go writes it; <paramref name="escapeHtml"/> as <c>json.Marshal</c> does (<c>&lt;none&gt;</c> becomes
    /// <c>\u003cnone\u003e</c>), which docker's formatter rows get from their own <c>MarshalJSON</c>; the template
    /// <c>json</c> function itself does not escape.
    /// </summary>
    public static void WriteString(StringBuilder output, string s, bool escapeHtml = false)
    {
        output.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case '\u2028' or '\u2029' or < ' ':
                case '<' or '>' or '&' when escapeHtml:
                    output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: output.Append(c); break;
            }
        }

        output.Append('"');
    }

    /// <summary>Go's <c>json.Indent(dst, src, "", indent)</c>: empty objects and arrays stay <c>{}</c>/<c>[]</c>.</summary>
    public static string Indent(ReadOnlySpan<char> json, string indent)
    {
        var output = new StringBuilder(json.Length * 2);
        var depth = 0;
        var needIndent = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                continue;
            }

            if (needIndent && c is not (']' or '}'))
            {
                needIndent = false;
                depth++;
                NewLine(output, indent, depth);
            }

            switch (c)
            {
                case '"':
                    var start = i++;
                    while (i < json.Length && json[i] != '"')
                    {
                        i += json[i] == '\\' ? 2 : 1;
                    }

                    output.Append(json[start..Math.Min(i + 1, json.Length)]);
                    break;
                case '{' or '[':
                    output.Append(c);
                    needIndent = true;
                    break;
                case ',':
                    output.Append(c);
                    NewLine(output, indent, depth);
                    break;
                case ':':
                    output.Append(": ");
                    break;
                case '}' or ']':
                    if (needIndent)
                    {
                        needIndent = false;
                    }
                    else
                    {
                        depth--;
                        NewLine(output, indent, depth);
                    }

                    output.Append(c);
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.ToString();
    }

    private static void NewLine(StringBuilder output, string indent, int depth)
    {
        output.Append('\n');
        for (var d = 0; d < depth; d++)
        {
            output.Append(indent);
        }
    }
}
