using System.Diagnostics;

namespace Berth.Bench;

/// <summary>The real docker CLI (/usr/local/bin/docker) against one daemon's socket.</summary>
internal sealed record DockerCli(string Host)
{
    public const string Path = "/usr/local/bin/docker";

    public DockerRun Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOCKER_HOST"] = Host;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new DockerRun(process.ExitCode, output, error.Result, string.Join(' ', args));
    }

    /// <summary>Runs a command that must succeed; returns its standard output without the final newline.</summary>
    public string Checked(params string[] args) => Run(args).Check().Output.TrimEnd('\n');

    /// <summary>The network namespace of a running container: its process's (<c>/proc/PID/ns/net</c>).</summary>
    public string NetnsOf(string container) => $"/proc/{Checked("inspect", "-f", "{{.State.Pid}}", container)}/ns/net";
}
