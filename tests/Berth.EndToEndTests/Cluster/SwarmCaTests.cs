using Berth.Cluster.Pki;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// <c>docker swarm ca</c>: the root the join tokens pin, and <c>--rotate</c> carried to its end with two managers and a
/// worker (the CLI waits for it), after which every node holds a certificate of the new root and the cluster still works.
/// </summary>
public sealed class SwarmCaTests : ClusterTest
{
    private static readonly TimeSpan RotationTimeout = TimeSpan.FromSeconds(150);

    [RootFact]
    public void SwarmCaPrintsThePinnedRootAndRotateMovesEveryNodeToANewOne()
    {
        StartNodes(4);
        var (workerToken, managerToken) = InitSwarm();
        Node(2).DockerChecked("swarm", "join", "--token", managerToken, $"{Address(1)}:2377");
        Node(3).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        string[] ids = [NodeId(1), NodeId(2), NodeId(3)];
        Assert.True(Poll.Until(() => NodeList(Node(1)).Values.Count(line => line.Contains("|Ready|", StringComparison.Ordinal)) == 3, TimeSpan.FromSeconds(20)),
            string.Join("\n", NodeList(Node(1))));

        // swarm ca: the root whose digest the tokens carry, and the one each node reports (node inspect's TLSInfo).
        string oldRoot = Node(1).DockerChecked("swarm", "ca").Output.Trim();
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", oldRoot, StringComparison.Ordinal);
        Assert.Equal(CaDigest.Of(oldRoot), JoinToken.Parse(workerToken).CaDigest);
        Assert.Equal(oldRoot, Node(2).DockerChecked("swarm", "ca").Output.Trim());
        Assert.True(Poll.Until(() => ids.All(id => TrustRoot(id) == oldRoot), TimeSpan.FromSeconds(10)), TrustRoot(ids[2]));

        // A CA certificate with a key that is not its own, and an external CA: refused, naming the flags; nothing rotates.
        string oldRootFile = Path.Combine(TestRoot, "old-ca.crt");
        File.WriteAllText(oldRootFile, oldRoot + "\n");
        string strayKey = Path.Combine(TestRoot, "stray.key");
        Cmd.Check("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", strayKey);
        var mismatched = Node(1).Docker("swarm", "ca", "--rotate", "--ca-cert", oldRootFile, "--ca-key", strayKey);
        Assert.False(mismatched.Succeeded, mismatched.ToString());
        Assert.Contains("--ca-cert and --ca-key must be a CA certificate and its ECDSA private key", mismatched.Error, StringComparison.Ordinal);
        var external = Node(1).Docker("swarm", "update", "--external-ca", "protocol=cfssl,url=https://10.88.0.99:8888");
        Assert.False(external.Succeeded, external.ToString());
        Assert.Contains("--external-ca is not supported", external.Error, StringComparison.Ordinal);
        Assert.Equal("false", Node(1).DockerChecked("info", "-f", "{{.Swarm.Cluster.RootRotationInProgress}}").Output.Trim());

        // --rotate: the CLI follows the progress until every node has a certificate of the new root, then prints it.
        CmdResult rotate;
        try
        {
            rotate = Exec.RunWithTimeout(RotationTimeout, new Dictionary<string, string> { ["DOCKER_HOST"] = Node(1).Host }, RepoPaths.DockerCli, "swarm", "ca", "--rotate");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + Logs(3), e);
        }

        Assert.True(rotate.Succeeded, rotate + Logs(3));
        string newRoot = Node(1).DockerChecked("swarm", "ca").Output.Trim();
        Assert.NotEqual(oldRoot, newRoot);
        Assert.EndsWith(newRoot, rotate.Output.Trim(), StringComparison.Ordinal);
        Assert.Equal("false", Node(2).DockerChecked("info", "-f", "{{.Swarm.Cluster.RootRotationInProgress}}").Output.Trim());

        // New tokens name the new root; every node trusts it alone and holds a certificate of it (and none of the old).
        string newWorkerToken = Node(2).DockerChecked("swarm", "join-token", "-q", "worker").Output.Trim();
        Assert.Equal(CaDigest.Of(newRoot), JoinToken.Parse(newWorkerToken).CaDigest);
        Assert.Equal(CaDigest.Of(newRoot), JoinToken.Parse(Node(1).DockerChecked("swarm", "join-token", "-q", "manager").Output.Trim()).CaDigest);
        string newRootFile = Path.Combine(TestRoot, "new-ca.crt");
        File.WriteAllText(newRootFile, newRoot + "\n");
        for (int node = 1; node <= 3; node++)
        {
            string swarm = Path.Combine(Node(node).Root, "swarm");
            Assert.True(Poll.Until(() => File.ReadAllText(Path.Combine(swarm, "ca.crt")).Trim() == newRoot, TimeSpan.FromSeconds(30)), Node(node).Log);
            Assert.True(Cmd.Run("openssl", "verify", "-CAfile", newRootFile, Path.Combine(swarm, "node.crt")).Succeeded, $"node{node}'s certificate is not of the new root");
            Assert.False(Cmd.Run("openssl", "verify", "-CAfile", oldRootFile, Path.Combine(swarm, "node.crt")).Succeeded, $"node{node}'s certificate is still of the old root");
            Assert.Equal(newRoot, TrustRoot(ids[node - 1]));
        }

        // The cluster works: both managers list three Ready nodes, etcd's two members are healthy over the new certificates.
        foreach (int manager in (int[])[1, 2])
        {
            Assert.True(Poll.Until(() => NodeList(Node(manager)).Values.Count(line => line.Contains("|Ready|", StringComparison.Ordinal)) == 3, TimeSpan.FromSeconds(20)),
                string.Join("\n", NodeList(Node(manager))));
        }

        var health = Etcdctl(1, 1, "endpoint", "health", "--cluster");
        Assert.True(health.Succeeded, health.ToString());
        // etcdctl 3.4 writes each endpoint's health to stderr.
        Assert.Equal(2, (health.Output + "\n" + health.Error).Split('\n').Count(line => line.Contains("is healthy", StringComparison.Ordinal)));

        // The old token is refused (it pins the old root); the new one admits a worker.
        var old = Node(4).Docker("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        Assert.False(old.Succeeded, old.ToString());
        Assert.Contains("is not the one the token names", old.Error, StringComparison.Ordinal);
        Assert.Contains("This node joined a swarm as a worker.", Node(4).DockerChecked("swarm", "join", "--token", newWorkerToken, $"{Address(2)}:2377").Output, StringComparison.Ordinal);
        Assert.True(Cmd.Run("openssl", "verify", "-CAfile", newRootFile, Path.Combine(Node(4).Root, "swarm", "node.crt")).Succeeded);
        Assert.True(Poll.Until(() => NodeList(Node(1)).Values.Count(line => line.Contains("|Ready|", StringComparison.Ordinal)) == 4, TimeSpan.FromSeconds(20)),
            string.Join("\n", NodeList(Node(1))));
    }

    private string Logs(int nodes) =>
        string.Concat(Enumerable.Range(1, nodes).Select(node => $"\n--- node{node} ---\n{Node(node).Log}"));

    private string TrustRoot(string node) =>
        Node(1).DockerChecked("node", "inspect", "-f", "{{.Description.TLSInfo.TrustRoot}}", node).Output.Trim();
}
