namespace Berth.Cli.Parsing;

/// <summary>One flag of a command. <see cref="ValueName"/> is null for a boolean flag.</summary>
public sealed record FlagSpec(string Long, char? Short, string? ValueName, string Help)
{
    public bool TakesValue => ValueName is not null;
}
