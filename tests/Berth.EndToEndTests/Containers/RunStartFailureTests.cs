using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// <c>docker run --rm</c> of a command that cannot start: berthd removes the container (as Docker does),
/// so the CLI, waiting for "removed", prints the runtime's error and exits 127 (not found) or 126 (not executable).
/// </summary>
public sealed class RunStartFailureTests : DaemonTest
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(20);

    [RootFact]
    public void RunRmOfAMissingBinaryExits127AndLeavesNothing()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        var run = Run(daemon, "run", "--rm", "bb:latest", "/missing");
        Assert.True(run.ExitCode == 127, $"expected exit 127: {run}\n--- berthd log ---\n{daemon.Log}");
        Assert.Contains("no such file or directory", run.Error, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
    }

    [RootFact]
    public void RunRmOfANonExecutableFileExits126AndLeavesNothing()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // A plain file (mode 0644) bind-mounted into the container: it exists, but cannot be executed.
        string script = Path.Combine(TestRoot, "not-executable.sh");
        File.WriteAllText(script, "#!/bin/sh\necho never\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var run = Run(daemon, "run", "--rm", "-v", script + ":/not-executable.sh:ro", "bb:latest", "/not-executable.sh");
        Assert.True(run.ExitCode == 126, $"expected exit 126: {run}\n--- berthd log ---\n{daemon.Log}");
        Assert.Contains("permission denied", run.Error, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());

        // Without --rm the container stays (created), as with Docker, and the CLI still exits 127.
        var kept = Run(daemon, "run", "--name", "kept", "bb:latest", "/missing");
        Assert.True(kept.ExitCode == 127, $"expected exit 127: {kept}");
        Assert.Equal("kept", daemon.DockerChecked("ps", "-a", "--format", "{{.Names}}").Output.Trim());
        daemon.DockerChecked("rm", "kept");
    }

    private static CmdResult Run(Berthd daemon, params string[] args) =>
        Exec.RunWithTimeout(RunDeadline, new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.Host }, RepoPaths.DockerCli, args);
}
