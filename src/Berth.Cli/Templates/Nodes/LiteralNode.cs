namespace Berth.Cli.Templates.Nodes;

/// <summary>A string, number, boolean or <c>nil</c> constant; <see cref="Value"/> is string, long, double, bool or null.</summary>
public sealed record LiteralNode(int Position, string Source, object? Value) : TemplateNode(Position);
