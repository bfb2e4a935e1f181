namespace Berth.Bench;

/// <summary>One reference command's exit code, standard output and standard error.</summary>
internal sealed record ExecResult(int ExitCode, string Output, string Error);
