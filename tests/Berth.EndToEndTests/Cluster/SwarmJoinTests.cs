using System.Diagnostics;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>Joining a swarm as a worker and as a manager, refused joins that leave nothing behind, liveness and node operations.</summary>
public sealed class SwarmJoinTests : ClusterTest
{
    [RootFact]
    public void RefusedJoinsLeaveNothingWorkersAndManagersJoinAndADeadWorkerShowsDown()
    {
        StartNodes(3);
        var (workerToken, managerToken) = InitSwarm();
        string manager1 = NodeId(1);

        // Refused joins: each says why, and neither side keeps anything of it.
        string wrongSecret = workerToken[..^25] + new string('0', 25);
        AssertRefused(3, ["--token", wrongSecret, $"{Address(1)}:2377"], "invalid join token");
        string otherCluster = workerToken.Replace(workerToken.Split('-')[2], new string('1', 50), StringComparison.Ordinal);
        AssertRefused(3, ["--token", otherCluster, $"{Address(1)}:2377"], "is not the one the token names");
        var clock = Stopwatch.StartNew();
        AssertRefused(3, ["--token", workerToken, "10.88.0.99:2377"], "10.88.0.99:2377");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"a join to a dead address took {clock.Elapsed}");
        Assert.Single(NodeList(Node(1)));
        Assert.Single(EtcdMembers(1).Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // A worker and a manager join; every manager lists all three.
        Assert.Contains("This node joined a swarm as a worker.", Node(2).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377").Output, StringComparison.Ordinal);
        Assert.Contains("This node joined a swarm as a manager.", Node(3).DockerChecked("swarm", "join", "--token", managerToken, $"{Address(1)}:2377").Output, StringComparison.Ordinal);
        string worker = NodeId(2);
        string manager3 = NodeId(3);
        Assert.Equal("active/worker", PingSwarmHeader(Node(2)));
        Assert.Equal("active false", Node(2).DockerChecked("info", "-f", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}").Output.Trim());
        Assert.Empty(EtcdPids(2));
        Assert.Single(EtcdPids(3));
        Assert.Equal(2, EtcdMembers(1).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.EndsWith(", false", StringComparison.Ordinal)));
        foreach (int asking in (int[])[1, 3])
        {
            Assert.True(Poll.Until(() =>
            {
                var nodes = NodeList(Node(asking));
                return nodes.Count == 3 && nodes[manager1].EndsWith("|Ready|Active|Leader", StringComparison.Ordinal)
                    && nodes[manager3].EndsWith("|Ready|Active|Reachable", StringComparison.Ordinal) && nodes[worker] == "|Ready|Active|";
            }, TimeSpan.FromSeconds(10)), string.Join("\n", NodeList(Node(asking))));
            Assert.StartsWith("*|", NodeList(Node(asking))[asking == 1 ? manager1 : manager3], StringComparison.Ordinal);
        }

        // The worker's certificate is an etcd user that reads the cluster and writes only its heartbeat; the CA key it can read is sealed.
        Assert.Contains("permission denied", Etcdctl(2, 1, "put", "/berth/swarm/cluster", "x").Error, StringComparison.Ordinal);
        Assert.Contains("permission denied", Etcdctl(2, 1, "put", $"/berth/swarm/nodes/{worker}", "x").Error, StringComparison.Ordinal);
        Assert.Contains("permission denied", Etcdctl(2, 1, "del", "/berth/swarm/leader").Error, StringComparison.Ordinal);
        Assert.Contains($"/berth/swarm/nodes/{worker}", Etcdctl(2, 1, "get", "--prefix", "--keys-only", "/berth/swarm/nodes/").Output, StringComparison.Ordinal);
        var caKey = Etcdctl(2, 1, "get", "--print-value-only", "/berth/swarm/ca-key");
        Assert.True(caKey.Succeeded && caKey.Output.Trim().Length > 0 && !caKey.Output.Contains("PRIVATE KEY", StringComparison.Ordinal), caKey.ToString());
        Assert.False(File.Exists(Path.Combine(Node(2).Root, "swarm", "ca-key.secret")));

        var onWorker = Node(2).Docker("node", "ls");
        Assert.Contains("This node is not a swarm manager.", onWorker.Error, StringComparison.Ordinal);
        Assert.Contains("This node is already part of a swarm.", Node(2).Docker("swarm", "init", "--advertise-addr", Address(2)).Error, StringComparison.Ordinal);

        // Node operations from the second manager: drain, a label; rm refused for a live node and for a manager.
        Node(3).DockerChecked("node", "update", "--availability", "drain", "--label-add", "zone=a", worker);
        Assert.Equal("|Ready|Drain|", NodeList(Node(1))[worker]);
        Assert.Equal("map[zone:a]", Node(1).DockerChecked("node", "inspect", "-f", "{{.Spec.Labels}}", worker).Output.Trim());
        Assert.Contains($"node {worker} is not down and can't be removed", Node(1).Docker("node", "rm", worker).Error, StringComparison.Ordinal);
        Assert.Contains($"node {manager3} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal",
            Node(1).Docker("node", "rm", manager3).Error, StringComparison.Ordinal);

        // promote: the worker sees its record, gets a manager certificate, starts a member and is a manager; demote undoes it.
        Assert.Contains($"Node {worker} promoted to a manager in the swarm.", Node(1).DockerChecked("node", "promote", worker).Output, StringComparison.Ordinal);
        Assert.True(Poll.Until(() => Node(2).Docker("info", "-f", "{{.Swarm.ControlAvailable}}").Output.Trim() == "true", TimeSpan.FromSeconds(20)), Node(2).Log);
        Assert.Single(EtcdPids(2));
        Assert.True(Poll.Until(() => EtcdMembers(1).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.EndsWith(", false", StringComparison.Ordinal)) == 3,
            TimeSpan.FromSeconds(30)), EtcdMembers(1));
        Assert.True(Poll.Until(() => NodeListOrEmpty(Node(2)).GetValueOrDefault(worker) == "*|Ready|Drain|Reachable", TimeSpan.FromSeconds(20)), Node(2).Log);
        Assert.Equal("active/manager", PingSwarmHeader(Node(2)));
        Assert.Contains($"Manager {worker} demoted in the swarm.", Node(3).DockerChecked("node", "demote", worker).Output, StringComparison.Ordinal);
        Assert.True(Poll.Until(() => Node(2).Docker("info", "-f", "{{.Swarm.ControlAvailable}}").Output.Trim() == "false" && EtcdPids(2).Length == 0,
            TimeSpan.FromSeconds(20)), Node(2).Log);
        Assert.True(Poll.Until(() => EtcdMembers(1).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2, TimeSpan.FromSeconds(20)), EtcdMembers(1));
        Assert.False(Directory.Exists(Path.Combine(Node(2).Root, "swarm", "etcd")));
        Assert.True(Poll.Until(() => NodeList(Node(1))[worker] == "|Ready|Drain|", TimeSpan.FromSeconds(10)), string.Join("\n", NodeList(Node(1))));

        // kill -9 of the worker's berthd: Down within 10 s; started again, Ready.
        Node(2).Kill();
        clock.Restart();
        Assert.True(Poll.Until(() => NodeList(Node(1))[worker].StartsWith("|Down|", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), string.Join("\n", NodeList(Node(1))));
        var down = clock.Elapsed;
        Restart(2);
        Assert.True(Poll.Until(() => NodeList(Node(1))[worker].StartsWith("|Ready|", StringComparison.Ordinal), TimeSpan.FromSeconds(15)), Node(2).Log);
        Assert.True(down < TimeSpan.FromSeconds(10), $"Down after {down}");

        // A worker that leaves is Down at once (its lease revoked), then node rm takes it out.
        Node(2).DockerChecked("swarm", "leave");
        Assert.StartsWith("|Down|", NodeList(Node(1))[worker], StringComparison.Ordinal);
        Node(1).DockerChecked("node", "rm", worker);
        Assert.Equal(2, NodeList(Node(3)).Count);

        // join-token --rotate: the old worker token no longer admits anyone.
        Node(1).DockerChecked("swarm", "join-token", "--rotate", "worker");
        AssertRefused(2, ["--token", workerToken, $"{Address(1)}:2377"], "invalid join token");
    }

    private void AssertRefused(int node, string[] join, string expected)
    {
        var result = Node(node).Docker(["swarm", "join", .. join]);
        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal("inactive", Node(node).DockerChecked("info", "-f", "{{.Swarm.LocalNodeState}}").Output.Trim());
        Assert.False(Directory.Exists(Path.Combine(Node(node).Root, "swarm")), "a refused join left ROOT/swarm behind");
        Assert.Empty(EtcdPids(node));
    }
}
