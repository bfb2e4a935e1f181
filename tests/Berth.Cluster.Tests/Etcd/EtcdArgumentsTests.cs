using Berth.Cluster.Etcd;

namespace Berth.Cluster.Tests.Etcd;

public sealed class EtcdArgumentsTests
{
    private static readonly EtcdMemberOptions Options = new()
    {
        Name = "node1",
        DataDirectory = "/var/lib/berth/swarm/etcd",
        ClientUrl = new Uri("https://10.1.0.11:2379/"),
        PeerUrl = new Uri("https://10.1.0.11:2380"),
        InitialCluster = [new EtcdPeer("node0", new Uri("https://10.1.0.10:2380")), new EtcdPeer("node1", new Uri("https://10.1.0.11:2380"))],
        JoinExisting = true,
        ClusterToken = "cluster-x",
        Tls = new EtcdTlsFiles("/c/ca.pem", "/c/node.pem", "/c/key.pem"),
    };

    private static string ValueOf(IReadOnlyList<string> args, string flag) => args[args.ToList().IndexOf(flag) + 1];

    [Fact]
    public void ListensOnlyOnTheAdvertiseAddressAndJoinsTheNamedCluster()
    {
        var args = EtcdArguments.For(Options);
        Assert.Equal("https://10.1.0.11:2379", ValueOf(args, "--listen-client-urls"));
        Assert.Equal("https://10.1.0.11:2380", ValueOf(args, "--listen-peer-urls"));
        Assert.Equal("node0=https://10.1.0.10:2380,node1=https://10.1.0.11:2380", ValueOf(args, "--initial-cluster"));
        Assert.Equal("existing", ValueOf(args, "--initial-cluster-state"));
        Assert.Equal("cluster-x", ValueOf(args, "--initial-cluster-token"));
        Assert.Equal("new", ValueOf(EtcdArguments.For(Options with { JoinExisting = false }), "--initial-cluster-state"));
    }

    [Fact]
    public void OnlyAForcedStartCarriesForceNewCluster()
    {
        Assert.DoesNotContain("--force-new-cluster", EtcdArguments.For(Options));
        Assert.Contains("--force-new-cluster", EtcdArguments.For(Options with { ForceNewCluster = true }));
    }

    [Fact]
    public void ClientsAndPeersMustShowACertificateOfTheClusterCa()
    {
        var args = EtcdArguments.For(Options);
        Assert.Contains("--client-cert-auth", args);
        Assert.Contains("--peer-client-cert-auth", args);
        Assert.Equal("/c/ca.pem", ValueOf(args, "--trusted-ca-file"));
        Assert.Equal("/c/ca.pem", ValueOf(args, "--peer-trusted-ca-file"));
        Assert.Equal("/c/node.pem", ValueOf(args, "--peer-cert-file"));
        Assert.DoesNotContain(args, a => a.StartsWith("http://", StringComparison.Ordinal));
    }
}
