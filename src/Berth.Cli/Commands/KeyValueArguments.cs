namespace Berth.Cli.Commands;

/// <summary><c>k=v</c> flag values (<c>--opt</c>, <c>--label</c>, <c>--filter</c>): a bare <c>k</c> means <c>""</c>, as docker's.</summary>
public static class KeyValueArguments
{
    public static KeyValuePair<string, string> Split(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? new(text, "") : new(text[..equals], text[(equals + 1)..]);
    }

    /// <summary>Later values win; keys are sorted, as Go writes maps.</summary>
    public static Dictionary<string, string> ToMap(IEnumerable<string> values)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var (key, item) = Split(value);
            map[key] = item;
        }

        return new Dictionary<string, string>(map, StringComparer.Ordinal);
    }

    /// <summary><c>filters=</c> in the map form docker's Go client sends: <c>{"name":{"x":true}}</c>, keys sorted.</summary>
    public static string? FiltersJson(IReadOnlyList<string> filters)
    {
        if (filters.Count == 0)
        {
            return null;
        }

        var map = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var filter in filters)
        {
            var equals = filter.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new ArgumentException($"bad format of filter (expected name=value)");
            }

            var key = filter[..equals].Trim().ToLowerInvariant();
            if (!map.TryGetValue(key, out var set))
            {
                map[key] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.Add(filter[(equals + 1)..].Trim());
        }

        var json = new System.Text.StringBuilder("{");
        foreach (var (key, values) in map)
        {
            json.Append(json.Length > 1 ? "," : "");
            Templates.GoJson.WriteString(json, key);
            json.Append(":{");
            var first = true;
            foreach (var value in values)
            {
                json.Append(first ? "" : ",");
                first = false;
                Templates.GoJson.WriteString(json, value);
                json.Append(":true");
            }

            json.Append('}');
        }

        return json.Append('}').ToString();
    }
}
