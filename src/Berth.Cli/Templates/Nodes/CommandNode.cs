namespace Berth.Cli.Templates.Nodes;

/// <summary>One stage of a pipeline: an operand, or a function or method with its arguments.</summary>
public sealed record CommandNode(int Position, string Source, IReadOnlyList<TemplateNode> Arguments) : TemplateNode(Position);
