using System.Diagnostics;

namespace Berth.Bench;

/// <summary>Runs reference commands (ip, nft): the baseline Berth is compared with, never Berth itself.</summary>
internal static class Exec
{
    public static void Run(string file, params string[] arguments)
    {
        var (code, output) = TryRun(file, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {code}: {output}");
        }
    }

    public static (int ExitCode, string Output) TryRun(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
