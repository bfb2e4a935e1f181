namespace Berth.Cli.Templates.Nodes;

/// <summary><c>.A.B</c>: fields of dot.</summary>
public sealed record FieldNode(int Position, string Source, IReadOnlyList<string> Chain) : TemplateNode(Position);
