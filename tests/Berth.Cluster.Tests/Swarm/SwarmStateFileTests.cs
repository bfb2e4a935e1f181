using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>The local state file: ids as strings, roles as words, written whole, private to root.</summary>
public sealed class SwarmStateFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-swarm-state-" + Guid.NewGuid().ToString("N"));

    private readonly SwarmPaths _paths;

    public SwarmStateFileTests() => _paths = SwarmPaths.Under(_root);

    public void Dispose()
    {
        SwarmStateFile.Delete(_paths);
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void StateRoundTripsAsReadableJsonWithNoTemporaryLeft()
    {
        var state = new LocalSwarmState
        {
            Node = NodeId.New(),
            Cluster = ClusterId.New(),
            Role = ClusterRole.Worker,
            AdvertiseAddress = "10.88.0.12",
            ListenAddress = "0.0.0.0:2377",
            EtcdEndpoints = [new Uri("https://10.88.0.11:2379")],
        };

        SwarmStateFile.Save(_paths, state);

        LocalSwarmState loaded = SwarmStateFile.Load(_paths)!;
        Assert.Equal(state.EtcdEndpoints.AsEnumerable(), loaded.EtcdEndpoints);
        Assert.Equal(state, loaded with { EtcdEndpoints = state.EtcdEndpoints, EtcdInitialCluster = state.EtcdInitialCluster });
        string json = File.ReadAllText(_paths.StateFile);
        Assert.Contains($"\"Node\":\"{state.Node}\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Role\":\"Worker\"", json, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_paths.StateFile));
        Assert.Equal([Path.GetFileName(_paths.StateFile)], Directory.GetFiles(_paths.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public void NoStateIsNoSwarmAndABrokenOneSaysHowToGetOut()
    {
        Assert.Null(SwarmStateFile.Load(_paths));
        Directory.CreateDirectory(_paths.Directory);
        File.WriteAllText(_paths.StateFile, "{\"Node\":\"not-an-id\"}");

        var e = Assert.Throws<BerthException>(() => SwarmStateFile.Load(_paths));
        Assert.Contains("docker swarm leave --force", e.Message, StringComparison.Ordinal);
    }
}
