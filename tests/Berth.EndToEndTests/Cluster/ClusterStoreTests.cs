using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// <c>berthd --cluster-store</c>: a swarm on an etcd the test runs itself (one etcd 3.4 member on the lab address
/// 10.88.0.100, mutual TLS with a throwaway CA), every node's berthd pointed at it with a client certificate of its
/// own. No berthd runs etcd or adds a member; a manager's death leaves the other answering; a node without the store
/// is refused.
/// </summary>
public sealed class ClusterStoreTests : ClusterTest
{
    private const string StoreAddress = "10.88.0.100";

    private ExternalEtcd? _etcd;

    [RootFact]
    public void ASwarmOnTheUsersEtcdRunsNoMemberAndOutlivesAManager()
    {
        var etcd = _etcd = new ExternalEtcd(Path.Combine(TestRoot, "store"), StoreAddress);
        StartNodes(3, node => etcd.BerthdArguments($"node{node}"));
        StartStore(etcd);

        var (workerToken, managerToken) = InitSwarm();
        Node(2).DockerChecked("swarm", "join", "--token", managerToken, $"{Address(1)}:2377");
        Node(3).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        string[] ids = [NodeId(1), NodeId(2), NodeId(3)];

        // Both managers list the three nodes, all Ready; one leads, the other is Reachable; the worker has no manager status.
        foreach (int manager in (int[])[1, 2])
        {
            Assert.True(Poll.Until(() => NodeList(Node(manager)).Values.Count(v => v.Contains("|Ready|", StringComparison.Ordinal)) == 3, TimeSpan.FromSeconds(10)),
                string.Join("\n", NodeList(Node(manager))));
            var nodes = NodeList(Node(manager));
            Assert.Equal(ids.Order(), nodes.Keys.Order());
            Assert.Equal(["Leader", "Reachable"], new[] { nodes[ids[0]], nodes[ids[1]] }.Select(v => v.Split('|')[^1]).Order());
            Assert.EndsWith("|Active|", nodes[ids[2]], StringComparison.Ordinal);
        }

        // The swarm lives in the test's etcd, which still has its one member and no users; no node runs etcd.
        Assert.Single(etcd.Etcdctl("member", "list").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(ids.Select(id => "/berth/swarm/nodes/" + id).Order(),
            etcd.Etcdctl("get", "--prefix", "--keys-only", "/berth/swarm/nodes/").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.Equal("", etcd.Etcdctl("user", "list").Output.Trim());
        for (int node = 1; node <= 3; node++)
        {
            Assert.Empty(EtcdPids(node));
            Assert.False(Directory.Exists(Path.Combine(NodeDirectory(node), "root", "swarm", "etcd")));
            string listening = NodeHost(node).Exec("ss", "-ltnH").Output;
            Assert.DoesNotContain(":2379 ", listening, StringComparison.Ordinal);
            Assert.DoesNotContain(":2380 ", listening, StringComparison.Ordinal);
        }

        // kill -9 of the first manager's berthd: the second still answers, takes the lead, and shows the first Down and Unreachable.
        Node(1).Kill();
        Assert.True(Poll.Until(() =>
        {
            var nodes = NodeList(Node(2));
            return nodes[ids[0]] == "|Down|Active|Unreachable" && nodes[ids[1]] == "*|Ready|Active|Leader";
        }, TimeSpan.FromSeconds(15)), string.Join("\n", NodeList(Node(2))) + "\n--- node2 ---\n" + Node(2).Log);

        // The worker leaves (Down at once: its lease is revoked); the second manager leaves with --force. The swarm's
        // keys stay in the etcd for the first manager, whose record remains.
        Node(3).DockerChecked("swarm", "leave");
        Assert.False(Directory.Exists(Path.Combine(NodeDirectory(3), "root", "swarm")));
        Assert.True(Poll.Until(() => NodeList(Node(2))[ids[2]].StartsWith("|Down|", StringComparison.Ordinal), TimeSpan.FromSeconds(5)));
        Node(2).DockerChecked("swarm", "leave", "--force");
        Assert.Equal("inactive", Node(2).DockerChecked("info", "-f", "{{.Swarm.LocalNodeState}}").Output.Trim());
        Assert.Equal("/berth/swarm/cluster", etcd.Etcdctl("get", "--keys-only", "/berth/swarm/cluster").Output.Trim());
        Assert.Equal("", etcd.Etcdctl("get", "--prefix", "--keys-only", "/berth/swarm/heartbeats/").Output.Trim());
    }

    [RootFact]
    public void ANodeWithoutTheClusterStoreIsRefusedAndNothingIsMade()
    {
        var etcd = _etcd = new ExternalEtcd(Path.Combine(TestRoot, "store"), StoreAddress);
        StartNodes(2, node => node == 1 ? etcd.BerthdArguments("node1") : []);
        StartStore(etcd);
        var (workerToken, _) = InitSwarm();

        var join = Node(2).Docker("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");

        Assert.False(join.Succeeded);
        Assert.Contains($"this swarm keeps its state in the external etcd {etcd.Url}", join.Error, StringComparison.Ordinal);
        Assert.Contains($"runs without --cluster-store; start it with --cluster-store {etcd.Url}", join.Error, StringComparison.Ordinal);
        Assert.Equal("inactive", Node(2).DockerChecked("info", "-f", "{{.Swarm.LocalNodeState}}").Output.Trim());
        Assert.False(Directory.Exists(Path.Combine(NodeDirectory(2), "root", "swarm")));
        Assert.Single(NodeList(Node(1)));
        Assert.Single(etcd.Etcdctl("get", "--prefix", "--keys-only", "/berth/swarm/nodes/").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // A bad option keeps berthd from starting, with the option named (inside the lab, should it start after all).
        var bad = Cmd.Run("nsenter", $"--net={NodeHost(2).NetnsPath}", RepoPaths.Berthd, "--root", Path.Combine(TestRoot, "bad", "root"), "--exec-root", Path.Combine(TestRoot, "bad", "exec"),
            "-H", "unix://" + Path.Combine(TestRoot, "bad.sock"), "--cluster-store", etcd.Url, "--cluster-store-opt", "kv.path=/docker");
        Assert.False(bad.Succeeded);
        Assert.Contains("unknown option \"kv.path\"; accepted: kv.cacertfile, kv.certfile, kv.keyfile", bad.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(TestRoot, "bad")));
    }

    [RootFact]
    public void OverlaysWorkOnTheClusterStoreWithoutASwarm()
    {
        var etcd = _etcd = new ExternalEtcd(Path.Combine(TestRoot, "store"), StoreAddress);
        StartNodes(2, node => etcd.BerthdArguments($"node{node}"));
        StartStore(etcd);
        BusyboxImage.Import(Node(1), TestRoot);
        BusyboxImage.Import(Node(2), TestRoot);

        // No swarm init: every daemon on the store may make an overlay (as Docker's classic --cluster-store), once the store answers.
        Assert.True(Poll.Until(() => Node(2).Docker("network", "create", "-d", "overlay", "--attachable", "ov").Succeeded, TimeSpan.FromSeconds(15)), Node(2).Log);
        Assert.Equal("inactive", Node(1).DockerChecked("info", "-f", "{{.Swarm.LocalNodeState}}").Output.Trim());
        Assert.True(Poll.Until(() => Node(1).Docker("network", "inspect", "ov").Succeeded, TimeSpan.FromSeconds(5)));
        Node(1).DockerChecked(["run", "-d", "--network", "ov", "--name", "server", "bb:latest", .. ContainerProbe.ListenCommand]);
        Node(2).DockerChecked("run", "-d", "--network", "ov", "--name", "client", "bb:latest", "sleep", "600");
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(2), "client", "server"), TimeSpan.FromSeconds(10)), Node(2).Log);
        Assert.True(ContainerProbe.TalksWithin(Node(2), "client", "server"));
        Assert.Single(etcd.Etcdctl("get", "--prefix", "--keys-only", "/berth/networks/").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        Node(1).DockerChecked("rm", "-f", "server");
        Node(2).DockerChecked("rm", "-f", "client");
        Node(1).DockerChecked("network", "rm", "ov");
        Assert.Equal("", etcd.Etcdctl("get", "--prefix", "--keys-only", "/berth/net/").Output.Trim());
    }

    /// <summary>
    /// The store's host joins the LAN after the nodes, whose berthds (with --cluster-store) have been dialling it since
    /// they started: each node's kernel has marked the address unreachable (a failed neighbour entry), so a connection
    /// made at once can fail fast. Each node reaches the store once before the test goes on.
    /// </summary>
    private void StartStore(ExternalEtcd etcd)
    {
        etcd.Start(AddLanHost("store", StoreAddress));
        for (int node = 1; node <= Nodes.Count; node++)
        {
            Assert.True(NodeHost(node).PingWithin(StoreAddress, TimeSpan.FromSeconds(10)), $"node{node} cannot reach the store at {StoreAddress}");
        }
    }

    protected override void BeforeTeardown()
    {
        try
        {
            base.BeforeTeardown();
        }
        finally
        {
            // After every berthd: the swarm's nodes still talk to it while they stop.
            _etcd?.Dispose();
        }
    }
}
