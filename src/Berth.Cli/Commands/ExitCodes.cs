namespace Berth.Cli.Commands;

/// <summary>docker's exit codes: 1 for a failed command, 125 for the CLI's own errors (bad flags), 64 for a bad inspect template.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int TemplateParseError = 64; // EX_USAGE, which docker inspect returns for a template that does not parse
    public const int CliError = 125;
}
