using System.Globalization;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// Turns the <c>elem</c> array of an nft 1.0.6 JSON set or map listing back into nft text, the same text the model
/// renders. String values of <c>ifname</c>/<c>string</c> components are quoted; the rest are written as given.
/// </summary>
internal static class NftJsonElements
{
    private static readonly string[] QuotedTypes = ["ifname", "string"];

    internal static IReadOnlyList<string> Render(JsonElement setOrMap)
    {
        string[] keyTypes = Types(setOrMap, "type");
        string[] dataTypes = Types(setOrMap, "map");
        var result = new List<string>();
        if (!setOrMap.TryGetProperty("elem", out var elements))
        {
            return result;
        }

        foreach (var element in elements.EnumerateArray())
        {
            var sb = new StringBuilder();
            if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() == 2 && dataTypes.Length > 0)
            {
                Value(sb, element[0], keyTypes, 0);
                sb.Append(" : ");
                Value(sb, element[1], dataTypes, 0);
            }
            else
            {
                Value(sb, element, keyTypes, 0);
            }

            result.Add(sb.ToString());
        }

        return result;
    }

    private static string[] Types(JsonElement setOrMap, string property)
    {
        if (!setOrMap.TryGetProperty(property, out var type))
        {
            return [];
        }

        return type.ValueKind == JsonValueKind.Array
            ? [.. type.EnumerateArray().Select(t => t.GetString() ?? "")]
            : (type.GetString() ?? "").Split(" . ");
    }

    private static void Value(StringBuilder sb, JsonElement value, string[] types, int index)
    {
        string type = index < types.Length ? types[index] : "";
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                string text = value.GetString()!;
                sb.Append(QuotedTypes.Contains(type) ? $"\"{text}\"" : text);
                return;
            case JsonValueKind.Number:
                sb.Append(value.GetRawText());
                return;
            case JsonValueKind.Object:
                Object(sb, value, types, index);
                return;
            default:
                throw Unexpected(value);
        }
    }

    private static void Object(StringBuilder sb, JsonElement value, string[] types, int index)
    {
        var property = value.EnumerateObject().First();
        var body = property.Value;
        switch (property.Name)
        {
            case "elem":
                Value(sb, body.GetProperty("val"), types, index);
                return;
            case "prefix":
                Value(sb, body.GetProperty("addr"), types, index);
                sb.Append('/').Append(body.GetProperty("len").GetInt32().ToString(CultureInfo.InvariantCulture));
                return;
            case "range":
                Value(sb, body[0], types, index);
                sb.Append('-');
                Value(sb, body[1], types, index);
                return;
            case "concat":
                int i = 0;
                foreach (var part in body.EnumerateArray())
                {
                    if (i > 0)
                    {
                        sb.Append(" . ");
                    }

                    Value(sb, part, types, index + i);
                    i++;
                }

                return;
            case "accept" or "drop" or "return" or "continue":
                sb.Append(property.Name);
                return;
            case "jump" or "goto":
                sb.Append(property.Name).Append(' ').Append(body.GetProperty("target").GetString());
                return;
            default:
                throw Unexpected(value);
        }
    }

    private static NftablesException Unexpected(JsonElement value) =>
        new(ErrorKind.Internal, $"nft listed a set element Berth cannot read: {value.GetRawText()}; report this with the nft version", value.GetRawText());
}
