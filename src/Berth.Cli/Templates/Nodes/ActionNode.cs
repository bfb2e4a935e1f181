namespace Berth.Cli.Templates.Nodes;

/// <summary><c>{{pipeline}}</c>: prints the value unless the pipeline declares a variable.</summary>
public sealed record ActionNode(int Position, PipelineNode Pipeline) : TemplateNode(Position);
