namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>What a command did: its exit code and everything it printed.</summary>
public sealed record CmdResult(string CommandLine, int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() =>
        $"`{CommandLine}` exited {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
