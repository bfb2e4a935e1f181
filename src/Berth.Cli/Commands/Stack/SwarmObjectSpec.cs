namespace Berth.Cli.Commands.Stack;

/// <summary>The name and labels of a secret's or config's spec.</summary>
public sealed class SwarmObjectSpec
{
    public string Name { get; set; } = "";

    public Dictionary<string, string>? Labels { get; set; }
}
