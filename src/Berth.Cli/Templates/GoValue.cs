using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Cli.Templates;

/// <summary>
/// Values as Go's <c>fmt.Print</c> shows them inside templates: lists as <c>[a b]</c>, objects as <c>map[k:v]</c> with keys sorted,
/// null as <c>&lt;nil&gt;</c>. JSON values are unwrapped to string/bool so they compare and print like Go's.
/// </summary>
public static class GoValue
{
    public static object? Unwrap(object? value) => value is JsonElement element ? element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Number when element.TryGetInt64(out var l) => l,
        JsonValueKind.Number => element.GetDouble(),
        _ => element,
    } : value;

    public static string Print(object? value)
    {
        var output = new StringBuilder();
        Append(output, value);
        return output.ToString();
    }

    public static bool IsTrue(object? value) => Unwrap(value) switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        JsonElement { ValueKind: JsonValueKind.Array } array => array.GetArrayLength() > 0,
        JsonElement { ValueKind: JsonValueKind.Object } obj => obj.EnumerateObject().Any(),
        IReadOnlyList<object?> list => list.Count > 0,
        _ => true,
    };

    public static IEnumerable<KeyValuePair<string, JsonElement>> SortedProperties(JsonElement obj) =>
        obj.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal);

    private static void Append(StringBuilder output, object? value)
    {
        switch (Unwrap(value))
        {
            case null:
                output.Append("<nil>");
                break;
            case string s:
                output.Append(s);
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
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                output.Append('[');
                var first = true;
                foreach (var item in array.EnumerateArray())
                {
                    output.Append(first ? "" : " ");
                    first = false;
                    Append(output, item);
                }

                output.Append(']');
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } obj:
                output.Append("map[");
                var firstProperty = true;
                foreach (var (key, item) in SortedProperties(obj))
                {
                    output.Append(firstProperty ? "" : " ").Append(key).Append(':');
                    firstProperty = false;
                    Append(output, item);
                }

                output.Append(']');
                break;
            case IReadOnlyList<object?> list:
                output.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    output.Append(i == 0 ? "" : " ");
                    Append(output, list[i]);
                }

                output.Append(']');
                break;
            case var other:
                output.Append(other.ToString());
                break;
        }
    }
}
