namespace Berth.Cli.Parsing;

/// <summary>
/// A command line berth cannot run. Exit code 125 for a bad flag (as docker's), 1 for a wrong number of arguments or an
/// unknown command; <see cref="Hint"/> is docker's "Run 'berth x --help'" tail.
/// </summary>
public sealed class UsageException(string message, string usage, string hint, int exitCode) : Exception(message)
{
    public string Usage { get; } = usage;

    public string Hint { get; } = hint;

    public int ExitCode { get; } = exitCode;
}
