namespace Berth.Cli.Templates.Nodes;

/// <summary><c>(pipeline).A.B</c>.</summary>
public sealed record ChainNode(int Position, string Source, TemplateNode Operand, IReadOnlyList<string> Chain) : TemplateNode(Position);
