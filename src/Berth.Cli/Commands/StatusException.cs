namespace Berth.Cli.Commands;

/// <summary>
/// docker's <c>cli.StatusError</c>: a failure with its own exit code (125 for run's own errors, 126/127 for a command that cannot
/// run, the container's code) and the exact text to print, which may be empty (an exec that exited 2 prints nothing).
/// </summary>
public sealed class StatusException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
