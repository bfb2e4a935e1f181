namespace Berth.Cli.Templates.Nodes;

/// <summary>A node of a parsed template. <see cref="Position"/> is the byte offset in the template, for error messages.</summary>
public abstract record TemplateNode(int Position);
