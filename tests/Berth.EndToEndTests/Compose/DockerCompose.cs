using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Compose;

/// <summary>
/// Debian's Python <c>docker-compose</c> 1.29 (scripts/install-deps.sh installs it) against a test's berthd:
/// one project (<c>-p</c>) of one file written into its own directory, so the project's working directory and
/// config-file labels are the test's.
/// </summary>
internal sealed class DockerCompose
{
    public const string Program = "/usr/bin/docker-compose";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly Berthd _daemon;

    public DockerCompose(Berthd daemon, string testRoot, string project, string yaml)
    {
        _daemon = daemon;
        Project = project;
        Directory = Path.Combine(testRoot, "compose-" + project);
        System.IO.Directory.CreateDirectory(Directory);
        File = Path.Combine(Directory, "docker-compose.yml");
        System.IO.File.WriteAllText(File, yaml);
    }

    public string Project { get; }

    public string Directory { get; }

    public string File { get; }

    public CmdResult Run(params string[] args) =>
        Exec.RunWithTimeout(Timeout, new Dictionary<string, string> { ["DOCKER_HOST"] = _daemon.Host }, Program, [.. Arguments(args)]);

    public CmdResult Checked(params string[] args)
    {
        var result = Run(args);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("docker-compose failed: " + result + "\n--- berthd log ---\n" + _daemon.Log);
        }

        return result;
    }

    /// <summary>docker-compose running beside the test (attached <c>up</c>): its output as it comes, Ctrl-C by <see cref="ClientProcess.Interrupt"/>.</summary>
    public ClientProcess Start(params string[] args) => ClientProcess.Program(_daemon, Program, [.. Arguments(args)]);

    private string[] Arguments(string[] args) => ["--ansi", "never", "-p", Project, "-f", File, .. args];
}
