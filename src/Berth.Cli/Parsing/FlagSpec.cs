namespace Berth.Cli.Parsing;

/// <summary>
/// One flag of a command. <see cref="ValueName"/> is null for a boolean flag. <see cref="Alias"/> is a second long name stored
/// under <see cref="Long"/> (docker's <c>--net</c> for <c>--network</c>).
/// </summary>
public sealed record FlagSpec(string Long, char? Short, string? ValueName, string Help)
{
    public string? Alias { get; init; }

    public bool TakesValue => ValueName is not null;

    public bool Named(string name) => Long == name || Alias == name;
}
