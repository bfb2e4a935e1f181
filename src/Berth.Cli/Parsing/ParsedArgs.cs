namespace Berth.Cli.Parsing;

/// <summary>Flags (by long name, every occurrence in order) and positional arguments of one command.</summary>
public sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public void Add(string flag, string value)
    {
        if (!values.TryGetValue(flag, out var list))
        {
            values[flag] = list = [];
        }

        list.Add(value);
    }

    public bool Has(string flag) => values.ContainsKey(flag);

    public IReadOnlyList<string> All(string flag) => values.TryGetValue(flag, out var list) ? list : [];

    public string? Last(string flag) => values.TryGetValue(flag, out var list) ? list[^1] : null;

    /// <summary>A boolean flag: the last occurrence wins (<c>--internal=false</c>).</summary>
    public bool IsSet(string flag) => Last(flag) is "true";
}
