namespace Berth.Cli.Templates;

/// <summary>A template that does not parse (<see cref="IsParseError"/>) or fails while running, worded as Go's text/template words it.</summary>
public sealed class TemplateException(string message, bool isParseError) : Exception(message)
{
    public bool IsParseError { get; } = isParseError;
}
