namespace Berth.Cli.Templates;

/// <summary>Thrown by a function or field lookup; the evaluator adds the template position and node, as Go does.</summary>
public sealed class TemplateFunctionException(string message) : Exception(message);
