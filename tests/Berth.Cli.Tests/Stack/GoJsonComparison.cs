using System.Text.Json.Nodes;

namespace Berth.Cli.Tests.Stack;

/// <summary>
/// Compares a request body with what docker's Go client writes for it. Go writes zero values that berth's contracts leave
/// out (and the other way round), which the daemon reads the same: a null, false, 0, "", {} or [] is dropped on both sides
/// before the trees are compared; every other key and value must match.
/// </summary>
internal static class GoJsonComparison
{
    public static void Equal(string expectedGoJson, string actualJson)
    {
        var expected = Normalize(JsonNode.Parse(expectedGoJson));
        var actual = Normalize(JsonNode.Parse(actualJson));
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected\n{expected?.ToJsonString()}\nactual\n{actual?.ToJsonString()}");
    }

    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (Normalize(value) is { } kept)
                    {
                        result[key] = kept;
                    }
                }

                return result.Count == 0 ? null : result;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    items.Add(Normalize(item) ?? new JsonObject());
                }

                return items.Count == 0 ? null : items;
            case JsonValue value:
                var element = value.GetValue<System.Text.Json.JsonElement>();
                return element.ValueKind switch
                {
                    System.Text.Json.JsonValueKind.False or System.Text.Json.JsonValueKind.Null => null,
                    System.Text.Json.JsonValueKind.Number when element.GetDouble() == 0 => null,
                    System.Text.Json.JsonValueKind.String when element.GetString()!.Length == 0 => null,
                    _ => JsonNode.Parse(element.GetRawText()),
                };
            default:
                return null;
        }
    }
}
