using System.Diagnostics;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>Runs a client (docker, berth) with extra environment, with a timeout.</summary>
public static class Exec
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static CmdResult Run(IReadOnlyDictionary<string, string> environment, string file, params string[] args) =>
        RunWithTimeout(DefaultTimeout, environment, file, args);

    public static CmdResult RunWithTimeout(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, string file, params string[] args)
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

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        string commandLine = string.Join(' ', [file, .. args]);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start `{commandLine}`");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s");
        }

        return new CmdResult(commandLine, process.ExitCode, output.Result, error.Result);
    }
}
