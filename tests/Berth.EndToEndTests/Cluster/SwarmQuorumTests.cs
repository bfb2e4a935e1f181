using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// Three managers: one lost keeps the swarm writable, two lost make writes fail with Docker's quorum error while reads
/// answer; back, it heals. Two lost for good: <c>swarm init --force-new-cluster</c> on the third goes on alone.
/// </summary>
public sealed class SwarmQuorumTests : ClusterTest
{
    private const string NoLeader =
        "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

    [RootFact]
    public void ThreeManagersKeepWritingWithOneDownRefuseWritesWithTwoDownAndHeal()
    {
        StartNodes(3);
        var (_, managerToken) = InitSwarm();
        Node(2).DockerChecked("swarm", "join", "--token", managerToken, $"{Address(1)}:2377");
        // etcd 3.4 promotes a learner only once the cluster is healthy; a manager joining while the previous one is
        // still a learner may wait past the join's deadline on a loaded machine (docs/cluster.md), so the test joins
        // the third manager once the second votes.
        Assert.True(Poll.Until(() => EtcdMembers(1).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.EndsWith(", false", StringComparison.Ordinal)) == 2,
            TimeSpan.FromSeconds(30)), EtcdMembers(1));
        Node(3).DockerChecked("swarm", "join", "--token", managerToken, $"{Address(1)}:2377");
        string first = NodeId(1);
        Assert.Equal(3, EtcdMembers(1).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.EndsWith(", false", StringComparison.Ordinal)));

        // kill -9 of the leader's berthd and of its etcd: the others still write and elect a new leader.
        Node(1).Kill();
        LeakGuard.KillEtcdUnder(NodeDirectory(1));
        Assert.True(Poll.Until(() => Node(2).Docker("node", "update", "--label-add", "one=down", first).Succeeded, TimeSpan.FromSeconds(10)), Node(2).Log);
        Assert.True(Poll.Until(() =>
        {
            var nodes = NodeList(Node(3));
            return nodes[first].StartsWith("|Down|", StringComparison.Ordinal) && nodes.Values.Count(v => v.EndsWith("|Leader", StringComparison.Ordinal)) == 1
                && !nodes[first].EndsWith("|Leader", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15)), string.Join("\n", NodeList(Node(3))));
        Assert.EndsWith("|Unreachable", NodeList(Node(2))[first], StringComparison.Ordinal);

        // A second manager down: no quorum. Writes are refused with Docker's words, reads still answer.
        Node(2).Stop();
        Assert.True(Poll.Until(() => Node(3).Docker("node", "update", "--label-add", "two=down", first).Error.Contains(NoLeader, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10)), Node(3).Log);
        Assert.Equal(3, NodeList(Node(3)).Count);
        Assert.Contains("SWMTKN-1-", Node(3).DockerChecked("swarm", "join-token", "-q", "worker").Output, StringComparison.Ordinal);

        // Back: the restarted node rejoins its member and the swarm writes again.
        Restart(2);
        Restart(1);
        Assert.True(Poll.Until(() => Node(3).Docker("node", "update", "--label-add", "healed=yes", first).Succeeded, TimeSpan.FromSeconds(20)), Node(3).Log);
        Assert.True(Poll.Until(() => Node(1).Docker("info", "-f", "{{.Swarm.LocalNodeState}}").Output.Trim() == "active", TimeSpan.FromSeconds(15)), Node(1).Log);
        Assert.True(Poll.Until(() => NodeList(Node(1)).Values.All(v => v.Contains("|Ready|", StringComparison.Ordinal)), TimeSpan.FromSeconds(15)),
            string.Join("\n", NodeList(Node(1))) + $"\nnode ids: {NodeId(1)} {NodeId(2)} {NodeId(3)}\n--- node2 ---\n{Node(2).Log}\n--- node3 ---\n{Node(3).Log}");
        Assert.Equal("map[healed:yes one:down]", Node(1).DockerChecked("node", "inspect", "-f", "{{.Spec.Labels}}", first).Output.Trim());

        // Two managers lost for good: the third forces a new cluster of itself from its copy, and the swarm writes again.
        string second = NodeId(2), third = NodeId(3);
        Node(1).Stop();
        Node(2).Stop();
        Assert.True(Poll.Until(() => Node(3).Docker("node", "update", "--label-add", "lost=two", first).Error.Contains(NoLeader, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10)), Node(3).Log);
        var forced = Node(3).DockerChecked("swarm", "init", "--force-new-cluster", "--advertise-addr", Address(3));
        Assert.Contains($"Swarm initialized: current node ({third}) is now a manager.", forced.Output, StringComparison.Ordinal);
        Node(3).DockerChecked("node", "update", "--label-add", "forced=yes", first);
        Assert.Equal("map[forced:yes healed:yes one:down]", Node(3).DockerChecked("node", "inspect", "-f", "{{.Spec.Labels}}", first).Output.Trim());
        Assert.Single(EtcdMembers(3).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(Poll.Until(() =>
        {
            var nodes = NodeList(Node(3));
            return nodes[third].EndsWith("|Leader", StringComparison.Ordinal) && nodes[second].EndsWith("|Unreachable", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15)), string.Join("\n", NodeList(Node(3))));
        // The lost managers are demoted and removed as in Docker.
        Node(3).DockerChecked("node", "demote", second);
        Node(3).DockerChecked("node", "rm", "--force", second);
        Assert.Equal(2, NodeList(Node(3)).Count);
    }
}
