using System.Diagnostics;

namespace Berth.Bench;

/// <summary>
/// A docker CLI command that waits for a service to converge (`service create`, `service scale` without --detach),
/// timed from its start: until it returned, and until it first printed that the tasks converged ("verify: Waiting N
/// seconds to verify that tasks are stable…", before it holds them for the service's UpdateConfig.Monitor, 5 s by
/// default, and prints "verify: Service ID converged").
/// </summary>
internal sealed record ConvergeRun(double ReturnedMs, double ConvergedMs)
{
    /// <summary>The CLI's line when it first finds the tasks converged (it then holds them for the monitor period).</summary>
    private const string VerifyLine = "verify: Waiting";

    /// <summary>The CLI's last line, "verify: Service ID converged" (20.10's: "verify: Service converged"): converged and held.</summary>
    private const string ConvergedStart = "verify: Service ";

    private const string ConvergedEnd = " converged";

    /// <summary>Runs <paramref name="args"/> against <paramref name="docker"/>'s daemon; fails unless it ends converged.</summary>
    public static ConvergeRun Time(DockerCli docker, params string[] args)
    {
        var start = new ProcessStartInfo(DockerCli.Path, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOCKER_HOST"] = docker.Host;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + DockerCli.Path);
        var error = process.StandardError.ReadToEndAsync();
        double convergedMs = double.NaN;
        var output = new List<string>();

        // Not a terminal: the CLI writes its progress line by line, each as it happens.
        while (process.StandardOutput.ReadLine() is { } line)
        {
            output.Add(line);
            if (double.IsNaN(convergedMs) && (line.Contains(VerifyLine, StringComparison.Ordinal) || IsConverged(line)))
            {
                convergedMs = clock.Elapsed.TotalMilliseconds;
            }
        }

        process.WaitForExit();
        double returnedMs = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0 || !output.Any(IsConverged))
        {
            throw new InvalidOperationException($"docker {string.Join(' ', args)} exited {process.ExitCode} without \"{ConvergedStart}…{ConvergedEnd}\": {error.Result}{string.Join('\n', output.TakeLast(5))}");
        }

        return new ConvergeRun(returnedMs, convergedMs);
    }

    private static bool IsConverged(string line) =>
        line.TrimEnd().EndsWith(ConvergedEnd, StringComparison.Ordinal) && line.Contains(ConvergedStart, StringComparison.Ordinal);
}
