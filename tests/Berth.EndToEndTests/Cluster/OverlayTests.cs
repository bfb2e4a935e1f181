using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// Overlay networks across the lab's nodes with the real docker CLI: containers on different nodes reach each other by
/// name and address over VXLAN, two overlays stay apart, Docker's refusals, removal that leaves nothing, and an MTU taken
/// from the underlay.
/// </summary>
public sealed class OverlayTests : ClusterTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [RootFact]
    public void ContainersOnThreeNodesTalkOverAnOverlayByNameAndAddressAndTwoOverlaysStayApart()
    {
        StartNodes(3);
        var (workerToken, managerToken) = InitSwarm();
        Node(2).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        Node(3).DockerChecked("swarm", "join", "--token", managerToken, $"{Address(1)}:2377");
        foreach (var node in Nodes)
        {
            BusyboxImage.Import(node, TestRoot);
        }

        // Refusals, each a 4xx naming the problem, leaving nothing.
        Assert.Contains("Cannot create a multi-host network from a worker node", Node(2).Docker("network", "create", "-d", "overlay", "x").Error, StringComparison.Ordinal);
        var tooBig = Node(1).Docker("network", "create", "-d", "overlay", "-o", "com.docker.network.driver.mtu=1480", "x").Error;
        Assert.True(tooBig.Contains("1500", StringComparison.Ordinal) && tooBig.Contains("1450", StringComparison.Ordinal), tooBig);
        Assert.Contains("unknown option \"foo\"", Node(1).Docker("network", "create", "-d", "overlay", "-o", "foo=1", "x").Error, StringComparison.Ordinal);
        Assert.DoesNotContain("x", Node(1).DockerChecked("network", "ls", "--format", "{{.Name}}").Output.Split('\n'));

        Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", "my-overlay");
        Node(3).DockerChecked("network", "create", "-d", "overlay", "--attachable", "--subnet", "10.77.0.0/24", "other-overlay");
        Node(1).DockerChecked("network", "create", "-d", "overlay", "closed");
        Assert.Contains("overlaps network \"other-overlay\"", Node(1).Docker("network", "create", "-d", "overlay", "--subnet", "10.77.0.128/25", "x").Error, StringComparison.Ordinal);
        Assert.Equal("overlay swarm true", Node(3).DockerChecked("network", "inspect", "-f", "{{.Driver}} {{.Scope}} {{.Attachable}}", "my-overlay").Output.Trim());
        string subnet = Node(1).DockerChecked("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", "my-overlay").Output.Trim();
        Assert.StartsWith("10.", subnet, StringComparison.Ordinal);
        Assert.EndsWith("/24", subnet, StringComparison.Ordinal);
        Assert.Contains("not manually attachable", Node(2).Docker("run", "--rm", "--network", "closed", "bb:latest", "true").Error, StringComparison.Ordinal);

        Node(1).DockerChecked(["run", "-d", "--network", "my-overlay", "-p", "8080:8080", "--name", "alpha", "bb:latest", .. ContainerProbe.ListenCommand]);
        Node(2).DockerChecked("run", "-d", "--network", "other-overlay", "--name", "bravo", "bb:latest", "sleep", "600");
        Node(3).DockerChecked("run", "-d", "--network", "my-overlay", "--name", "charlie", "bb:latest", "sleep", "600");
        Node(3).DockerChecked("run", "-d", "--network", "other-overlay", "--name", "delta", "bb:latest", "sleep", "600");
        string addressA = Node(1).DockerChecked("inspect", "-f", "{{(index .NetworkSettings.Networks \"my-overlay\").IPAddress}}", "alpha").Output.Trim();
        string addressB = Node(2).DockerChecked("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", "bravo").Output.Trim();
        Assert.StartsWith("10.77.0.", addressB, StringComparison.Ordinal);

        // Node 3 to node 1: by name (the resolver on node 3 answers a name of node 1), by address, and TCP.
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(3), "charlie", "alpha"), Within), "c on node3 cannot ping a on node1 by name\n" + Node(3).Log);
        Assert.True(ContainerProbe.Pings(Node(3), "charlie", addressA));
        Assert.True(ContainerProbe.TalksWithin(Node(3), "charlie", "alpha"), "no TCP from c to a");
        Assert.Equal(addressA, Node(3).DockerChecked("exec", "charlie", "nslookup", "alpha").Output.Split('\n').Last(l => l.StartsWith("Address", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]);

        // A rename reaches every node's resolver: the new name answers on node 3, the old one no longer does.
        Node(1).DockerChecked("rename", "alpha", "alpha-two");
        Assert.True(Poll.Until(() => Node(3).Docker("exec", "charlie", "nslookup", "alpha-two").Succeeded && !Node(3).Docker("exec", "charlie", "nslookup", "alpha").Succeeded, Within),
            "node 3 does not follow the rename of alpha on node 1");
        Node(1).DockerChecked("rename", "alpha-two", "alpha");
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(3), "charlie", "alpha"), Within), "alpha renamed back does not answer by name on node 3");

        // network inspect --verbose: the nodes with endpoints on it (nodes 1 and 3), by tunnel address; not without --verbose.
        Assert.Equal([Address(1), Address(3)], Node(2).DockerChecked("network", "inspect", "--verbose", "-f", "{{range .Peers}}{{.IP}} {{end}}", "my-overlay").Output
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("Peers", Node(1).DockerChecked("network", "inspect", "my-overlay").Output, StringComparison.Ordinal);

        // The way out through the node (docker_gwbridge, masqueraded, hidden from inspect as Docker hides it): alpha reaches
        // node 2's own address, and its published port answers on node 1's address. An --internal overlay has neither.
        Assert.Equal("my-overlay ", Node(1).DockerChecked("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", "alpha").Output.TrimEnd('\n'));
        Assert.True(ContainerProbe.Pings(Node(1), "alpha", Address(2)), "alpha on an overlay has no way out through node 1");
        Assert.Equal(ContainerProbe.EchoReply, ContainerProbe.Talk(NodeHost(2), Address(1)));
        Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", "--internal", "sealed");
        Node(1).DockerChecked("run", "-d", "--network", "sealed", "--name", "sealed-in", "bb:latest", "sleep", "600");
        Assert.False(ContainerProbe.Pings(Node(1), "sealed-in", Address(2)));
        Assert.False(Node(1).Docker("exec", "sealed-in", "ip", "link", "show", "eth1").Succeeded);
        Node(1).DockerChecked("rm", "-f", "sealed-in");
        Node(1).DockerChecked("network", "rm", "sealed");

        // Another overlay: its own members talk (positive control) across nodes; nothing crosses to my-overlay.
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(3), "delta", "bravo"), Within), "d cannot ping b over other-overlay");
        Assert.False(ContainerProbe.Pings(Node(3), "delta", addressA));
        Assert.False(Node(3).Docker("exec", "delta", "nslookup", "alpha").Succeeded);
        Assert.False(ContainerProbe.Pings(Node(2), "bravo", addressA));

        // A worker lists the overlays it uses (and ingress, as every node is in the routing mesh); a manager all of them.
        // rm is refused while any node uses the network.
        Assert.Equal(["ingress", "other-overlay"], Node(2).DockerChecked("network", "ls", "--filter", "driver=overlay", "--format", "{{.Name}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["closed", "ingress", "my-overlay", "other-overlay"], Node(3).DockerChecked("network", "ls", "--filter", "driver=overlay", "--format", "{{.Name}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Node(3).DockerChecked("rm", "-f", "charlie");
        Assert.Contains("is in use", Node(3).Docker("network", "rm", "my-overlay").Error, StringComparison.Ordinal);
        Assert.NotEmpty(OverlayNamespaces(1));

        // Gone from every node's kernel once the last container leaves; then removable.
        Node(1).DockerChecked("rm", "-f", "alpha");
        Node(2).DockerChecked("rm", "-f", "bravo");
        Node(3).DockerChecked("rm", "-f", "delta");
        Node(3).DockerChecked("network", "rm", "my-overlay", "other-overlay", "closed");
        // (The ingress network's sandbox stays on every node: each node's routing-mesh entry is in it.)
        string ingress = "ov-" + Node(1).DockerChecked("network", "inspect", "-f", "{{.Id}}", "ingress").Output.Trim()[..12];
        for (int node = 1; node <= 3; node++)
        {
            Assert.Equal([ingress], OverlayNamespaces(node));
            Assert.Equal("ingress", Node(node).DockerChecked("network", "ls", "--filter", "driver=overlay", "--format", "{{.Name}}").Output.Trim());
        }
    }

    [RootFact]
    public void TheOverlayMtuComesFromTheUnderlayAndFullSizePacketsCrossWithoutFragmenting()
    {
        StartNodes(2);
        foreach (int node in (int[])[1, 2])
        {
            NodeHost(node).Ip("link", "set", "eth0", "mtu", "1400");
        }

        var (workerToken, _) = InitSwarm();
        Node(2).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        BusyboxImage.Import(Node(1), TestRoot);
        BusyboxImage.Import(Node(2), TestRoot);
        var refused = Node(1).Docker("network", "create", "-d", "overlay", "-o", "com.docker.network.driver.mtu=1400", "big").Error;
        Assert.True(refused.Contains("1400", StringComparison.Ordinal) && refused.Contains("1350", StringComparison.Ordinal), refused);
        Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", "lan");
        Node(1).DockerChecked("run", "-d", "--network", "lan", "--name", "alpha", "bb:latest", "sh", "-c", "sleep 600 | nc -l -p 9000 | wc -c > /tmp/count");
        Node(2).DockerChecked("run", "-d", "--network", "lan", "--name", "bravo", "bb:latest", "sleep", "600");
        Assert.Equal("1350", Node(2).DockerChecked("exec", "bravo", "cat", "/sys/class/net/eth0/mtu").Output.Trim());
        Assert.Equal("1350", Node(1).DockerChecked("exec", "alpha", "cat", "/sys/class/net/eth0/mtu").Output.Trim());
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(2), "bravo", "alpha"), Within), "b cannot ping a\n" + Node(2).Log);

        // 1322 bytes of ICMP data + 28 of headers = 1350, the overlay MTU: with VXLAN's 50 that is exactly the underlay's
        // 1400, and the nodes fragment nothing. A 4 MB TCP stream arrives whole.
        long fragmentsBefore = FragmentsCreated(1) + FragmentsCreated(2);
        Assert.Equal(0, Node(2).Docker("exec", "bravo", "ping", "-c3", "-W2", "-s", "1322", "alpha").ExitCode);
        Node(2).DockerChecked("exec", "bravo", "sh", "-c", "dd if=/dev/zero bs=65536 count=64 2>/dev/null | timeout 20 nc alpha 9000");
        Assert.True(Poll.Until(() => Node(1).Docker("exec", "alpha", "cat", "/tmp/count").Output.Trim() == "4194304", Within),
            Node(1).Docker("exec", "alpha", "cat", "/tmp/count").ToString());
        Assert.Equal(fragmentsBefore, FragmentsCreated(1) + FragmentsCreated(2));
        Node(1).DockerChecked("rm", "-f", "alpha");
        Node(2).DockerChecked("rm", "-f", "bravo");
        Node(1).DockerChecked("network", "rm", "lan");
    }

    /// <summary>IPv4 fragments the node's own namespace has made (the underlay side of its VXLAN traffic).</summary>
    private long FragmentsCreated(int node)
    {
        var lines = NodeHost(node).Exec("cat", "/proc/net/snmp").Output.Split('\n').Where(l => l.StartsWith("Ip:", StringComparison.Ordinal)).ToArray();
        int column = Array.IndexOf(lines[0].Split(' '), "FragCreates");
        return long.Parse(lines[1].Split(' ')[column], System.Globalization.CultureInfo.InvariantCulture);
    }

    private string[] OverlayNamespaces(int node)
    {
        string directory = Path.Combine(Node(node).ExecRoot, "netns");
        return Directory.Exists(directory) ? [.. Directory.GetFiles(directory, "ov-*").Select(Path.GetFileName)!] : [];
    }
}
