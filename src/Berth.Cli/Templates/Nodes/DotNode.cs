namespace Berth.Cli.Templates.Nodes;

public sealed record DotNode(int Position) : TemplateNode(Position);
