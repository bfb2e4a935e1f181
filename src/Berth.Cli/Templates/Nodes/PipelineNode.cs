namespace Berth.Cli.Templates.Nodes;

/// <summary><c>[$a[, $b] :=|=] command | command ...</c>.</summary>
public sealed record PipelineNode(int Position, IReadOnlyList<string> Variables, bool IsAssignment, IReadOnlyList<CommandNode> Commands) : TemplateNode(Position);
