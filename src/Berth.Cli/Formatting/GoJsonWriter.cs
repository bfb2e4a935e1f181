using System.Globalization;
using System.Text;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>
/// Compact JSON in the key order the caller writes and with Go's string escaping (HTML-escaped, as docker's client sends it), so
/// request bodies can match docker's byte for byte. Commas are placed automatically.
/// </summary>
public sealed class GoJsonWriter
{
    private readonly StringBuilder output = new();
    private readonly Stack<bool> first = new();
    private bool afterName;

    public GoJsonWriter BeginObject() => Open('{');

    public GoJsonWriter EndObject() => Close('}');

    public GoJsonWriter BeginArray() => Open('[');

    public GoJsonWriter EndArray() => Close(']');

    public GoJsonWriter Name(string name)
    {
        Separate();
        GoJson.WriteString(output, name, escapeHtml: true);
        output.Append(':');
        afterName = true;
        return this;
    }

    public GoJsonWriter String(string value) => Raw(() => GoJson.WriteString(output, value, escapeHtml: true));

    public GoJsonWriter Bool(bool value) => Raw(() => output.Append(value ? "true" : "false"));

    public GoJsonWriter Number(long value) => Raw(() => output.Append(value.ToString(CultureInfo.InvariantCulture)));

    public GoJsonWriter Null() => Raw(() => output.Append("null"));

    /// <summary>A list of strings, or <c>null</c> for a missing one (Go's nil slice).</summary>
    public GoJsonWriter Strings(IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return Null();
        }

        BeginArray();
        foreach (var value in values)
        {
            String(value);
        }

        return EndArray();
    }

    /// <summary>A string map with keys sorted, as Go writes maps; <c>null</c> for a missing one.</summary>
    public GoJsonWriter StringMap(IReadOnlyDictionary<string, string>? map)
    {
        if (map is null)
        {
            return Null();
        }

        BeginObject();
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Name(key).String(value);
        }

        return EndObject();
    }

    public byte[] ToUtf8() => Encoding.UTF8.GetBytes(output.ToString());

    public override string ToString() => output.ToString();

    private GoJsonWriter Open(char bracket)
    {
        Separate();
        output.Append(bracket);
        first.Push(true);
        return this;
    }

    private GoJsonWriter Close(char bracket)
    {
        first.Pop();
        output.Append(bracket);
        return this;
    }

    private GoJsonWriter Raw(Action write)
    {
        Separate();
        write();
        return this;
    }

    private void Separate()
    {
        if (afterName)
        {
            afterName = false;
            return;
        }

        if (first.Count > 0)
        {
            if (!first.Peek())
            {
                output.Append(',');
            }

            first.Pop();
            first.Push(false);
        }
    }
}
