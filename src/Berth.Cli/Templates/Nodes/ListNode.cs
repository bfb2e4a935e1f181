namespace Berth.Cli.Templates.Nodes;

public sealed record ListNode(int Position, List<TemplateNode> Nodes) : TemplateNode(Position);
