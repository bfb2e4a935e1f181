using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// <c>./run.sh cluster 3</c> (scripts/cluster.sh): three namespaces on a lab LAN, a berthd in each, a swarm of three
/// managers; then <c>./run.sh cluster down</c> leaves nothing behind. Runs the berthd built with these tests, with
/// the cluster's state under this test's directory and namespaces of its own prefix (a cluster a user left up is
/// not touched).
/// </summary>
public sealed class RunShClusterTests : LabTest
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(90);

    [RootFact]
    public void ClusterUpMakesThreeReadyManagersAndDownLeavesNothing()
    {
        string state = Path.Combine(TestRoot, "cluster");
        string prefix = "bct-" + Path.GetFileName(TestRoot)["berth-test-".Length..];
        var environment = new Dictionary<string, string>
        {
            ["BERTH_BIN_DIR"] = RepoPaths.BinDirectory,
            ["BERTH_CLUSTER_DIR"] = state,
            ["BERTH_CLUSTER_PREFIX"] = prefix,
        };
        string runSh = Path.Combine(RepoPaths.Root, "run.sh");

        CmdResult? down = null;
        try
        {
            CmdResult up = Exec.RunWithTimeout(ScriptTimeout, environment, runSh, "cluster", "3");
            Assert.True(up.Succeeded, up.ToString());
            Assert.Contains($"DOCKER_HOST=unix://{state}/run/node3.sock", up.Output, StringComparison.Ordinal);

            // node ls from the last manager to join: three nodes, all Ready, one Leader and two Reachable.
            var node3 = new Dictionary<string, string> { ["DOCKER_HOST"] = $"unix://{state}/run/node3.sock" };
            string[] lines = Exec.Run(node3, RepoPaths.DockerCli, "node", "ls", "--format", "{{.Status}}|{{.ManagerStatus}}").Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            Assert.All(lines, line => Assert.StartsWith("Ready|", line, StringComparison.Ordinal));
            Assert.Equal(["Leader", "Reachable", "Reachable"], lines.Select(l => l.Split('|')[1]).Order(StringComparer.Ordinal));
            Assert.Equal("10.89.0.13", Exec.Run(node3, RepoPaths.DockerCli, "node", "inspect", "-f", "{{.Status.Addr}}", "self").Output.Trim());

            // berth doctor and berth topology work on the lab swarm: quorum and every peer's cluster ports seen from node 3, the three nodes drawn.
            var doctorEnvironment = new Dictionary<string, string> { ["BERTH_HOST"] = $"unix://{state}/run/node3.sock" };
            var doctor = Exec.Run(doctorEnvironment, RepoPaths.Berth, "doctor", "--format", "{{.Check}}|{{.Subject}}|{{.Status}}");
            Assert.Contains("cluster quorum|swarm|ok", doctor.Output, StringComparison.Ordinal);
            Assert.Contains("cluster ports|", doctor.Output, StringComparison.Ordinal);
            // (The lab's router answers no DNS, which doctor rightly reports; the cluster itself is healthy.)
            Assert.DoesNotContain(doctor.Output.Split('\n'), line => line.StartsWith("cluster", StringComparison.Ordinal) && !line.EndsWith("|ok", StringComparison.Ordinal));
            string topology = Exec.Run(doctorEnvironment, RepoPaths.Berth, "topology").Output;
            foreach (string address in new[] { "10.89.0.11", "10.89.0.12", "10.89.0.13" })
            {
                Assert.Contains(address, topology, StringComparison.Ordinal);
            }
        }
        finally
        {
            down = Exec.RunWithTimeout(ScriptTimeout, environment, runSh, "cluster", "down");
        }

        Assert.True(down.Succeeded, down.ToString());
        Assert.Contains("nothing of the cluster is left", down.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(prefix, Cmd.Check("ip", "netns", "list"), StringComparison.Ordinal);
        Assert.DoesNotContain(state, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
        Assert.False(Directory.Exists(state), state + " is still there");

        // Neither a berthd nor an etcd of the cluster outlives it.
        Assert.Equal("", Cmd.Run("pgrep", "-a", "-f", state).Output.Trim());
    }
}
