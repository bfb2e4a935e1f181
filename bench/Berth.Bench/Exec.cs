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

    /// <summary>Runs a command; its exit code and its standard output followed by its standard error.</summary>
    public static (int ExitCode, string Output) TryRun(string file, params string[] arguments)
    {
        var result = Capture(file, null, arguments);
        return (result.ExitCode, result.Output + result.Error);
    }

    /// <summary>Runs a command with <paramref name="input"/> on its standard input (null: none); its outputs apart.</summary>
    public static ExecResult Capture(string file, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = input is not null,
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
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        process.WaitForExit();
        return new ExecResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
