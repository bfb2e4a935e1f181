using Berth.Core.Errors;

namespace Berth.Build.Dockerfile;

/// <summary>
/// A Dockerfile that cannot be parsed or planned. The message is Docker 20.10's text; errors tied to an instruction
/// carry its lines and read <c>dockerfile parse error line 3: unknown instruction: FOMR</c>, the form Docker 20.10's
/// classic builder uses for instruction errors (it gives some parser-phase errors no line; Berth always does).
/// </summary>
public sealed class DockerfileException : BerthException
{
    public DockerfileException(string message, SourceRange? lines = null)
        : base(ErrorKind.InvalidArgument, lines is { } at ? $"dockerfile parse error line {at.StartLine}: {message}" : message)
    {
        Lines = lines;
        Reason = message;
    }

    /// <summary>Where the offending instruction is, when the error belongs to one.</summary>
    public SourceRange? Lines { get; }

    /// <summary>Docker's text without the line prefix.</summary>
    public string Reason { get; }
}
