namespace Berth.Build.Dockerfile;

/// <summary>
/// The <c>--name[=value]</c> flags an instruction accepts, parsed with Docker 20.10's rules and messages:
/// unknown and repeated flags are errors, string flags need <c>=</c>, booleans take nothing, true or false.
/// </summary>
internal sealed class BuilderFlags
{
    private readonly Dictionary<string, FlagKind> known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);

    public BuilderFlags String(string name) => Add(name, FlagKind.String);

    public BuilderFlags Bool(string name) => Add(name, FlagKind.Bool);

    public BuilderFlags Strings(string name) => Add(name, FlagKind.Strings);

    public void Parse(IEnumerable<string> flags)
    {
        foreach (var flag in flags)
        {
            if (!flag.StartsWith("--", StringComparison.Ordinal))
            {
                throw new FormException($"Arg should start with -- : {flag}");
            }
            if (flag == "--")
            {
                return;
            }
            var text = flag[2..];
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? text : text[..equals];
            var value = equals < 0 ? null : text[(equals + 1)..];
            if (!known.TryGetValue(name, out var kind))
            {
                throw new FormException($"Unknown flag: {name}");
            }
            if (values.ContainsKey(name) && kind != FlagKind.Strings)
            {
                throw new FormException($"Duplicate flag specified: {name}");
            }
            var list = values.TryGetValue(name, out var existing) ? existing : values[name] = [];
            list.Add(kind switch
            {
                FlagKind.Bool => ParseBool(name, value),
                _ => value ?? throw new FormException($"Missing a value on flag: {name}"),
            });
        }
    }

    public string? Value(string name) => values.TryGetValue(name, out var list) ? list[^1] : null;

    public bool? Boolean(string name) => Value(name) is { } value ? value == "true" : null;

    public IReadOnlyList<string> All(string name) => values.TryGetValue(name, out var list) ? list : [];

    private BuilderFlags Add(string name, FlagKind kind)
    {
        known[name] = kind;
        return this;
    }

    private static string ParseBool(string name, string? value) => value?.ToLowerInvariant() switch
    {
        null => "true",
        "" => throw new FormException($"Missing a value on flag: {name}"),
        "true" or "false" => value.ToLowerInvariant(),
        _ => throw new FormException($"Expecting boolean value for flag {name}, not: {value}"),
    };

    private enum FlagKind
    {
        String,
        Bool,
        Strings,
    }
}
