using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Networks;

/// <summary>Restarts, crashes and a second daemon: state and kernel objects stay consistent.</summary>
public sealed class DaemonLifecycleTests : DaemonTest
{
    [RootFact]
    public void StateSurvivesARestartAndMissingKernelObjectsAreRecreated()
    {
        var daemon = StartDaemon();
        daemon.DockerChecked("network", "create", "--subnet", "10.214.0.0/24", "-o", "com.docker.network.bridge.name=keepme", "keep");
        string id = DockerNetworkCliTests.Inspect(daemon, "keep").GetProperty("Id").GetString()!;
        Assert.Equal(0, daemon.Stop());

        // While berthd is down someone deletes the bridge.
        DockerHost.Ip("link", "del", "keepme");

        var again = Restart(daemon);
        Assert.Equal(id, DockerNetworkCliTests.Inspect(again, "keep").GetProperty("Id").GetString());
        Assert.Contains("inet 10.214.0.1/24", HostIp("addr", "show", "dev", "keepme"), StringComparison.Ordinal);
        Assert.Contains("keepme", Cmd.Check("ip", "netns", "exec", DockerHost.NetnsName, "nft", "list", "ruleset"), StringComparison.Ordinal);
    }

    [RootFact]
    public void ASecondDaemonOnTheSameRootRefusesToStart()
    {
        using var daemon = StartDaemon();
        var second = Cmd.Run("ip", "netns", "exec", DockerHost.NetnsName, RepoPaths.Berthd, "-H", "unix://" + Path.Combine(TestRoot, "second.sock"), "--root", daemon.Root, "--exec-root", Path.Combine(TestRoot, "second-exec"));
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains($"another berthd is already running with --root {daemon.Root}", second.Error + second.Output, StringComparison.Ordinal);
        Assert.True(daemon.Pings());
    }

    [RootFact]
    public void KillNineDuringCreatesLeavesNoHalfMadeNetworks()
    {
        var daemon = StartDaemon();
        for (int round = 0; round < 3; round++)
        {
            // Fire creates, kill the daemon while they are in flight.
            var creates = Enumerable.Range(0, 8)
                .Select(i => Task.Run(() => daemon.Docker("network", "create", $"crash{round}x{i}")))
                .ToArray();
            Thread.Sleep(40 + (round * 60));
            daemon.Kill();
            Task.WaitAll(creates);

            daemon = Restart(daemon);
            AssertConsistent(daemon);
        }

        daemon.Stop();
    }

    /// <summary>Every listed bridge network has its bridge up with its gateway, and every br-* bridge belongs to a listed network.</summary>
    private void AssertConsistent(Berthd daemon)
    {
        var names = daemon.DockerChecked("network", "ls", "--format", "{{.Name}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var bridges = new HashSet<string>();
        foreach (string name in names.Where(n => n is not ("host" or "none")))
        {
            var network = DockerNetworkCliTests.Inspect(daemon, name);
            string device = network.GetProperty("Options").TryGetProperty("com.docker.network.bridge.name", out var named)
                ? named.GetString()!
                : "br-" + network.GetProperty("Id").GetString()![..12];
            bridges.Add(device);
            string gateway = network.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Gateway").GetString()!;
            Assert.Contains($"inet {gateway}/", HostIp("addr", "show", "dev", device), StringComparison.Ordinal);
        }

        var kernelBridges = HostIp("-o", "link", "show", "type", "bridge")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':')[1].Trim())
            .Where(name => !name.StartsWith("bx-", StringComparison.Ordinal)); // being reaped
        Assert.All(kernelBridges, b => Assert.Contains(b, bridges));
    }
}
