namespace Berth.Runtime.Containers;

/// <summary>How an exec ended: the process's exit code (128+N after signal N), or runc's error when the process never started.</summary>
public sealed record ExecExit(int ExitCode, string? StartError = null);
