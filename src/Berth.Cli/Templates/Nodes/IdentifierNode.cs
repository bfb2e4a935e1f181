namespace Berth.Cli.Templates.Nodes;

/// <summary>A function name.</summary>
public sealed record IdentifierNode(int Position, string Name) : TemplateNode(Position);
