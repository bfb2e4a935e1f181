using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Networks;

/// <summary>Berth's own CLI against berthd: Docker's flags, Docker's output, byte for byte where docker prints the same.</summary>
public sealed class BerthCliTests : DaemonTest
{
    [RootFact]
    public void BerthAndDockerPrintTheSameNetworkList()
    {
        using var daemon = StartDaemon();
        Check(daemon.BerthCli("network", "create", "--subnet", "10.215.0.0/16", "--gateway", "10.215.0.1", "--label", "tier=front", "frontnet"));
        Check(daemon.BerthCli("network", "create", "-d", "macvlan", "--subnet=192.168.1.0/24", "--gateway=192.168.1.1", "-o", "parent=eth0", "my-macvlan"));
        Assert.Contains("inet 10.215.0.1/16", HostIp("addr", "show", "dev", "br-" + DockerNetworkCliTests.ShortId(daemon, "frontnet")), StringComparison.Ordinal);

        foreach (string[] args in new[]
        {
            new[] { "network", "ls" },
            ["network", "ls", "--no-trunc"],
            ["network", "ls", "-q"],
            ["network", "ls", "--filter", "driver=macvlan"],
            ["network", "ls", "--format", "{{.Name}}\t{{.Driver}}"],
            ["network", "ls", "--format", "table {{.Name}}\t{{.Scope}}"],
            ["network", "inspect", "frontnet"],
            ["network", "inspect", "-f", "{{.Driver}} {{range .IPAM.Config}}{{.Subnet}}{{end}} {{index .Labels \"tier\"}}", "frontnet"],
        })
        {
            var berth = daemon.BerthCli(args);
            var docker = daemon.Docker(args);
            Assert.True(berth.Succeeded, berth.ToString());
            Assert.True(docker.Succeeded, docker.ToString());
            Assert.Equal(docker.Output, berth.Output);
        }

        Assert.Equal("bridge 10.215.0.0/16 front\n", daemon.BerthCli("network", "inspect", "-f", "{{.Driver}} {{range .IPAM.Config}}{{.Subnet}}{{end}} {{index .Labels \"tier\"}}", "frontnet").Output);
    }

    [RootFact]
    public void BerthRemovesPrunesAndReportsErrorsLikeDocker()
    {
        using var daemon = StartDaemon();
        Check(daemon.BerthCli("network", "create", "--label", "env=test", "p1"));
        Check(daemon.BerthCli("network", "create", "--internal", "p2"));
        var duplicate = daemon.BerthCli("network", "create", "p1");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Equal("Error response from daemon: network with name p1 already exists\n", duplicate.Error);

        var missing = daemon.BerthCli("network", "rm", "nosuchnet");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("network nosuchnet not found", missing.Error, StringComparison.Ordinal);

        Assert.Equal("p2\n", Check(daemon.BerthCli("network", "rm", "p2")).Output);
        string pruned = Check(daemon.BerthCli("network", "prune", "-f", "--filter", "label=env=test")).Output;
        Assert.Equal("Deleted Networks:\np1\n\n", pruned);
        Assert.Equal(["bridge", "host", "none"], Check(daemon.BerthCli("network", "ls", "--format", "{{.Name}}")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        Assert.Contains("Server:", Check(daemon.BerthCli("version")).Output, StringComparison.Ordinal);
        Assert.Contains("Server Version:", Check(daemon.BerthCli("info")).Output, StringComparison.Ordinal);

        var badFlag = daemon.BerthCli("network", "ls", "--wibble");
        Assert.Equal(125, badFlag.ExitCode);
        Assert.Contains("--wibble", badFlag.Error, StringComparison.Ordinal);
    }

    [RootFact]
    public void NoDaemonIsAClearError()
    {
        var result = Exec.Run(new Dictionary<string, string> { ["BERTH_HOST"] = "unix:///run/berth-test-nothing-here.sock" }, RepoPaths.Berth, "network", "ls");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Cannot connect to the Berth daemon at unix:///run/berth-test-nothing-here.sock", result.Error, StringComparison.Ordinal);
    }

    private static CmdResult Check(CmdResult result)
    {
        Assert.True(result.Succeeded, result.ToString());
        return result;
    }
}
