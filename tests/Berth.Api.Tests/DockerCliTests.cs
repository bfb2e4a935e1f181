using System.Diagnostics;

namespace Berth.Api.Tests;

/// <summary>The real docker CLI against the API host (the fake network service stands in for the real one).</summary>
public sealed class DockerCliTests
{
    private const string DockerPath = "/usr/local/bin/docker";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private sealed record Result(int ExitCode, string Stdout, string Stderr);

    private static async Task<Result> DockerAsync(TestApiHost host, string configDir, params string[] args)
    {
        var start = new ProcessStartInfo(DockerPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOCKER_HOST"] = "unix://" + host.SocketPath;
        start.Environment["DOCKER_CONFIG"] = configDir;
        start.Environment["DOCKER_CLI_HINTS"] = "false";
        start.Environment.Remove("DOCKER_API_VERSION");
        start.Environment.Remove("DOCKER_CONTEXT");
        start.Environment.Remove("DOCKER_TLS_VERIFY");

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(CommandTimeout);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Docker_cli_network_commands_and_version_work_against_the_api()
    {
        Assert.True(File.Exists(DockerPath), $"the docker CLI is expected at {DockerPath}");
        await using var host = await TestApiHost.StartAsync();
        string configDir = Directory.CreateTempSubdirectory("berth-api-test-docker-config-").FullName;
        try
        {
            Result ls = await DockerAsync(host, configDir, "network", "ls");
            Assert.True(ls.ExitCode == 0, ls.Stderr);
            string[] lines = ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Matches(@"^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$", lines[0]);
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^[0-9a-f]{12}\s+bridge\s+bridge\s+local$"));
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^[0-9a-f]{12}\s+none\s+null\s+local$"));

            Result create = await DockerAsync(host, configDir, "network", "create", "-d", "bridge", "--subnet", "10.213.0.0/16", "--label", "a=b", "n1");
            Assert.True(create.ExitCode == 0, create.Stderr);
            string id = create.Stdout.Trim();
            Assert.Matches("^[0-9a-f]{64}$", id);
            var state = host.Networks.Networks.Single(n => n.Name == "n1");
            Assert.Equal("10.213.0.0/16", Assert.Single(state.Config.Ipam.Config).Subnet);
            Assert.Equal("b", state.Config.Labels["a"]);

            Result inspect = await DockerAsync(host, configDir, "network", "inspect", "n1");
            Assert.True(inspect.ExitCode == 0, inspect.Stderr);
            Assert.Contains($"\"Id\": \"{id}\"", inspect.Stdout, StringComparison.Ordinal);
            Assert.Contains("\"Subnet\": \"10.213.0.0/16\"", inspect.Stdout, StringComparison.Ordinal);
            Assert.Contains("\"Gateway\": \"10.213.0.1\"", inspect.Stdout, StringComparison.Ordinal);
            Assert.Contains("\"a\": \"b\"", inspect.Stdout, StringComparison.Ordinal);

            Result missing = await DockerAsync(host, configDir, "network", "inspect", "nosuchnet");
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("network nosuchnet not found", missing.Stderr, StringComparison.Ordinal);

            Result filtered = await DockerAsync(host, configDir, "network", "ls", "--filter", "label=a=b", "-q");
            Assert.True(filtered.ExitCode == 0, filtered.Stderr);
            Assert.Equal(id[..12], filtered.Stdout.Trim());

            Result duplicate = await DockerAsync(host, configDir, "network", "create", "n1");
            Assert.Equal(1, duplicate.ExitCode);
            Assert.Contains("Error response from daemon: network with name n1 already exists", duplicate.Stderr, StringComparison.Ordinal);

            Result rm = await DockerAsync(host, configDir, "network", "rm", "n1");
            Assert.True(rm.ExitCode == 0, rm.Stderr);
            Assert.Equal("n1", rm.Stdout.Trim());
            Assert.DoesNotContain(host.Networks.Networks, n => n.Name == "n1");

            Result rmAgain = await DockerAsync(host, configDir, "network", "rm", "n1");
            Assert.Equal(1, rmAgain.ExitCode);

            Result version = await DockerAsync(host, configDir, "version");
            Assert.True(version.ExitCode == 0, version.Stderr);
            Assert.Contains("Server: Berth Engine", version.Stdout, StringComparison.Ordinal);
            Assert.Matches(@"Engine:\s+Version:\s+27\.0\.0-berth\s+API version:\s+1\.45 \(minimum version 1\.24\)", version.Stdout);
        }
        finally
        {
            Directory.Delete(configDir, recursive: true);
        }
    }

    /// <summary>Outside a swarm the CLI's swarm commands print Docker's own errors, and <c>plugin ls</c> an empty table.</summary>
    [Fact]
    public async Task Docker_cli_swarm_commands_get_Dockers_answers_outside_a_swarm()
    {
        Assert.True(File.Exists(DockerPath), $"the docker CLI is expected at {DockerPath}");
        await using var host = await TestApiHost.StartAsync();
        string configDir = Directory.CreateTempSubdirectory("berth-api-test-docker-config-").FullName;
        const string NotAManager = "Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";
        try
        {
            foreach (string[] command in new[] { new[] { "node", "ls" }, ["service", "ls"], ["node", "inspect", "self"], ["secret", "ls"], ["config", "ls"], ["swarm", "join-token", "worker"] })
            {
                Result result = await DockerAsync(host, configDir, command);
                Assert.True(result.ExitCode == 1, $"docker {string.Join(' ', command)}: exit {result.ExitCode}: {result.Stderr}");
                Assert.Contains(NotAManager, result.Stderr, StringComparison.Ordinal);
            }

            Result leave = await DockerAsync(host, configDir, "swarm", "leave", "--force");
            Assert.Equal(1, leave.ExitCode);
            Assert.Equal("Error response from daemon: This node is not part of a swarm", leave.Stderr.Trim());

            Result init = await DockerAsync(host, configDir, "swarm", "init", "--advertise-addr", "127.0.0.1");
            Assert.Equal(1, init.ExitCode);
            Assert.Contains("Error response from daemon: swarm mode is being built into Berth", init.Stderr, StringComparison.Ordinal);

            Result plugins = await DockerAsync(host, configDir, "plugin", "ls");
            Assert.True(plugins.ExitCode == 0, plugins.Stderr);
            Assert.Matches(@"^ID\s+NAME\s+DESCRIPTION\s+ENABLED\s*$", plugins.Stdout.Trim());

            Result plugin = await DockerAsync(host, configDir, "plugin", "inspect", "vieux/sshfs");
            Assert.Equal(1, plugin.ExitCode);
            Assert.Contains("vieux/sshfs", plugin.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(configDir, recursive: true);
        }
    }
}
