using System.Diagnostics;

namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>
/// Runs tools (<c>ip</c>, <c>nft</c>, <c>ping</c>) for the test fixture and as an independent oracle.
/// Product code never does this. Every run has a timeout; failures carry the full command and output.
/// </summary>
public static class Cmd
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs a command and returns its result whatever the exit code.</summary>
    public static CmdResult Run(string file, params string[] args) => RunWithTimeout(DefaultTimeout, file, args);

    public static CmdResult RunWithTimeout(TimeSpan timeout, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        string commandLine = string.Join(' ', [file, .. args]);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start `{commandLine}`");
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s and was killed\n--- stdout ---\n{output.Result}\n--- stderr ---\n{error.Result}");
        }

        return new CmdResult(commandLine, process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs a command that must succeed; returns its standard output.</summary>
    public static string Check(string file, params string[] args)
    {
        CmdResult result = Run(file, args);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("command failed: " + result);
        }

        return result.Output;
    }

    /// <summary>Whether an executable is on PATH.</summary>
    public static bool Exists(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, file)));
}
