namespace Berth.Cli.Templates.Nodes;

/// <summary><c>$x.A.B</c>; <c>$</c> alone is the data the template started with.</summary>
public sealed record VariableNode(int Position, string Source, string Name, IReadOnlyList<string> Chain) : TemplateNode(Position);
