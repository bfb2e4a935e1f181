using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>One node: <c>docker swarm init</c>, what node ls/inspect, info and <c>/_ping</c> say, a restart, and leave.</summary>
public sealed class SwarmInitTests : ClusterTest
{
    [RootFact]
    public void InitShowsTheNodeSurvivesARestartAndLeaveForceUndoesEverything()
    {
        StartNodes(1);
        var node = Node(1);
        Assert.Equal("inactive", PingSwarmHeader(node));

        var init = node.DockerChecked("swarm", "init", "--advertise-addr", Address(1));
        Assert.Matches(@"Swarm initialized: current node \([0-9a-z]{25}\) is now a manager\.", init.Output);
        Assert.Matches(@"docker swarm join --token SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25} 10\.88\.0\.11:2377", init.Output);
        string id = NodeId(1);
        Assert.Contains(id, init.Output, StringComparison.Ordinal);

        // What the CLI reads: info, the ping header, node ls and inspect.
        Assert.Equal($"active true {id} {Address(1)} 1 1", node.DockerChecked("info", "-f",
            "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.NodeID}} {{.Swarm.NodeAddr}} {{.Swarm.Nodes}} {{.Swarm.Managers}}").Output.Trim());
        Assert.Equal("active/manager", PingSwarmHeader(node));
        Assert.Equal("*|Ready|Active|Leader", NodeList(node)[id]);
        using (var inspect = JsonDocument.Parse(node.DockerChecked("node", "inspect", "self").Output))
        {
            var self = inspect.RootElement[0];
            Assert.Equal(id, self.GetProperty("ID").GetString());
            Assert.Equal("manager", self.GetProperty("Spec").GetProperty("Role").GetString());
            Assert.Equal("ready", self.GetProperty("Status").GetProperty("State").GetString());
            Assert.Equal($"{Address(1)}:2377", self.GetProperty("ManagerStatus").GetProperty("Addr").GetString());
        }

        // The member listens on the node's lab address only, with mutual TLS.
        Assert.Single(EtcdPids(1));
        string listening = Cmd.Check("ip", "netns", "exec", node.LabHost.NetnsName, "ss", "-ltnH");
        Assert.Contains($"{Address(1)}:2379", listening, StringComparison.Ordinal);
        Assert.Contains($"{Address(1)}:2380", listening, StringComparison.Ordinal);
        Assert.Contains($"{Address(1)}:2377", listening, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:2379", listening, StringComparison.Ordinal);
        Assert.DoesNotContain("*:2379", listening, StringComparison.Ordinal);

        // Docker's refusals: a second init, leaving the last manager without --force.
        var again = node.Docker("swarm", "init", "--advertise-addr", Address(1));
        Assert.False(again.Succeeded);
        Assert.Contains("This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.", again.Error, StringComparison.Ordinal);
        var leave = node.Docker("swarm", "leave");
        Assert.False(leave.Succeeded);
        Assert.Contains("Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.", leave.Error, StringComparison.Ordinal);

        // A restarted berthd is back in its swarm, as the same node, still the leader.
        node.Stop();
        Assert.Empty(EtcdPids(1));
        node = Restart(1);
        Assert.True(Poll.Until(() => node.Docker("info", "-f", "{{.Swarm.LocalNodeState}}").Output.Trim() == "active", TimeSpan.FromSeconds(15)), node.Log);
        Assert.Equal(id, NodeId(1));
        Assert.True(Poll.Until(() => NodeList(node).GetValueOrDefault(id) == "*|Ready|Active|Leader", TimeSpan.FromSeconds(10)), node.Log);

        // leave --force: the member stops, ROOT/swarm goes, the node is outside any swarm again.
        Assert.Contains("Node left the swarm.", node.DockerChecked("swarm", "leave", "--force").Output, StringComparison.Ordinal);
        Assert.Empty(EtcdPids(1));
        Assert.False(Directory.Exists(Path.Combine(node.Root, "swarm")));
        Assert.Equal("inactive false", node.DockerChecked("info", "-f", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}").Output.Trim());
        Assert.Equal("inactive", PingSwarmHeader(node));
        var list = node.Docker("node", "ls");
        Assert.False(list.Succeeded);
        Assert.Contains("This node is not a swarm manager.", list.Error, StringComparison.Ordinal);
    }
}
