namespace Berth.Cli.Templates.Nodes;

/// <summary><c>{{if}}</c>, <c>{{range}}</c> or <c>{{with}}</c>, each with an optional <c>{{else}}</c>.</summary>
public sealed record BranchNode(int Position, BranchKind Kind, PipelineNode Pipeline, ListNode List, ListNode? ElseList) : TemplateNode(Position);
