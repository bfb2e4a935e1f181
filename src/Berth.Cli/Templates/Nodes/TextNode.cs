namespace Berth.Cli.Templates.Nodes;

public sealed record TextNode(int Position, string Text) : TemplateNode(Position);
