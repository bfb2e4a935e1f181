using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Doctor;

/// <summary>
/// <c>berth doctor</c>'s cluster checks and <c>berth topology</c>'s swarm part on one swarm of three lab nodes (two
/// managers, one worker), a service published through the routing mesh on the managers and one published in host mode
/// on the worker. Healthy first, from a manager and from the worker; then each fault made in the lab: the node channel
/// dropped on one node, the ingress port dropped on another, and a manager's berthd stopped (the quorum lost).
/// </summary>
public sealed class DoctorClusterTests : ClusterTest
{
    private const string NoLeader =
        "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [RootFact]
    public void EachClusterFaultIsFoundWithItsFixAndTheTopologyShowsTheSwarm()
    {
        StartNodes(3);
        var (workerToken, managerToken) = InitSwarm();
        Node(2).DockerChecked("swarm", "join", "--token", managerToken, $"{Address(1)}:2377");
        // The worker joins once the second manager votes (etcd promotes a learner only in a healthy cluster).
        Assert.True(Poll.Until(() => EtcdMembers(1).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.EndsWith(", false", StringComparison.Ordinal)) == 2,
            Within), EtcdMembers(1));
        Node(3).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        foreach (var node in Nodes)
        {
            BusyboxImage.Import(node, TestRoot);
        }

        WaitNodesReady(Within);
        Node(1).DockerChecked("network", "create", "-d", "overlay", "--subnet", "10.93.0.0/24", "appnet");
        Node(1).DockerChecked(["service", "create", "--name", "web", "--network", "appnet", "--publish", "published=8080,target=8080", "--replicas", "2",
            "--replicas-max-per-node", "1", "--constraint", "node.role==manager", "--no-resolve-image", "bb:latest", .. Httpd(8080)]);
        Node(1).DockerChecked(["service", "create", "--name", "hostweb", "--network", "appnet", "--publish", "published=9090,target=9090,mode=host",
            "--constraint", $"node.id=={NodeId(3)}", "--no-resolve-image", "bb:latest", .. Httpd(9090)]);

        // Healthy, from a manager: every cluster line ok but the host-mode port, which answers only on the worker.
        List<Finding> healthy = [];
        Assert.True(Poll.Until(() => (healthy = Cluster(Node(1))).All(f => f.Status != "problem") && healthy.Any(f => f.Check == "cluster ingress"), Within),
            string.Join("\n", healthy));
        Assert.Equal("ok", On(healthy, "cluster etcd", Address(1)).Status);
        Assert.Equal("ok", On(healthy, "cluster etcd", Address(2)).Status);
        Assert.Equal(("ok", "2 of 2 managers' etcd members answer, 2 needed for quorum: 0 more may be lost"),
            (On(healthy, "cluster quorum", "swarm").Status, On(healthy, "cluster quorum", "swarm").Found));
        var toManager = On(healthy, "cluster ports", Address(2));
        Assert.Equal("ok", toManager.Status);
        Assert.StartsWith("answers ping; tcp 2377 (join service), tcp 7946 (node channel) connect; udp 4789 (VXLAN) not refused", toManager.Found, StringComparison.Ordinal);
        Assert.StartsWith("answers ping; tcp 7946 (node channel) connect", On(healthy, "cluster ports", Address(3)).Found, StringComparison.Ordinal);
        Assert.DoesNotContain(healthy, f => f.Check == "cluster ports" && f.Subject.EndsWith($"({Address(1)})", StringComparison.Ordinal));
        Assert.Equal(("ok", "answers on all 3 live nodes (2 running tasks)"), (On(healthy, "cluster ingress", "web 8080/tcp").Status, On(healthy, "cluster ingress", "web 8080/tcp").Found));
        var hostMode = On(healthy, "cluster host ports", "hostweb 9090/tcp");
        Assert.Equal("warning", hostMode.Status);
        Assert.Matches($@"^published in host mode: answers only on \S+ \({Address(3)}\), where its tasks run; not on \S+ \({Address(1)}\), \S+ \({Address(2)}\)$", hostMode.Found);
        Assert.Equal("docker service update --publish-rm 9090 --publish-add published=9090,target=9090 hostweb  # ingress mode: every node answers", hostMode.Fix);

        // From the worker: the managers it knows, their members and ports; services are a manager's to know.
        var fromWorker = Cluster(Node(3));
        Assert.Equal("2 of 2 managers' etcd members answer, 2 needed for quorum (the managers this worker knows): 0 more may be lost", On(fromWorker, "cluster quorum", "swarm").Found);
        Assert.Equal("ok", On(fromWorker, "cluster ports", Address(1)).Status);
        Assert.Equal("ok", On(fromWorker, "cluster ports", Address(2)).Status);
        Assert.DoesNotContain(fromWorker, f => f.Check is "cluster ingress" or "cluster host ports" || f.Status == "problem");

        Topology();

        // The node channel dropped on node 2, the ingress port dropped on node 3 (which runs no task of web).
        NodeHost(2).Exec("nft", "add table ip doctortest; add chain ip doctortest in { type filter hook input priority 0; }; add rule ip doctortest in tcp dport 7946 drop");
        NodeHost(3).Exec("nft", "add table ip doctortest; add chain ip doctortest pre { type filter hook prerouting priority -300; }; add rule ip doctortest pre tcp dport 8080 drop");
        var text = Node(1).BerthCli("doctor");
        Assert.Equal(1, text.ExitCode);
        Assert.Matches($@"cluster ports\s+\S+ \({Address(2)}\)\s+problem\s+tcp 7946 \(node channel\) no answer \(dropped\) while the node answers ping", text.Output);
        Assert.Matches($@"cluster ingress\s+web 8080/tcp\s+problem\s+does not answer on \S+ \({Address(3)}\): no answer \(dropped\)", text.Output);
        var broken = Cluster(Node(1));
        Assert.Equal($"iptables -I INPUT -p tcp -s {Address(1)} -d {Address(2)} --dport 7946 -j ACCEPT  # on {Address(2)}; a drop in an nft table of its own: nft -a list ruleset | grep 7946",
            On(broken, "cluster ports", Address(2)).Fix);
        Assert.StartsWith($"nft -a list ruleset | grep -w 8080  # on {Address(3)}: delete the rule", On(broken, "cluster ingress", "web 8080/tcp").Fix, StringComparison.Ordinal);
        // The fix's first step finds the very rule the lab put there.
        Assert.Contains("tcp dport 7946 drop", NodeHost(2).Exec("sh", "-c", "nft -a list ruleset | grep 7946").Output, StringComparison.Ordinal);
        Assert.Equal("ok", On(broken, "cluster ports", Address(3)).Status);
        NodeHost(2).Exec("nft", "delete table ip doctortest");
        NodeHost(3).Exec("nft", "delete table ip doctortest");

        // A manager down: of two, one left is no quorum.
        Node(2).Stop();
        List<Finding> lost = [];
        Assert.True(Poll.Until(() => (lost = Cluster(Node(1))).Any(f => f.Check == "cluster quorum" && f.Status == "problem"), Within), string.Join("\n", lost));
        var quorum = On(lost, "cluster quorum", "swarm");
        Assert.Equal($"1 of 2 managers' etcd members answer, 2 needed for quorum: {NoLeader}", quorum.Found);
        Assert.StartsWith($"docker node ls  # then start berthd again on {Address(2)}", quorum.Fix, StringComparison.Ordinal);
        var member = On(lost, "cluster etcd", Address(2));
        Assert.Equal("problem", member.Status);
        Assert.Contains($"member at https://{Address(2)}:2379 does not answer", member.Found, StringComparison.Ordinal);

        // Back: the quorum with it (and its tasks' namespaces are its own to clean up again).
        Restart(2);
        List<Finding> healed = [];
        Assert.True(Poll.Until(() => (healed = Cluster(Node(1))).Any(f => f.Check == "cluster quorum" && f.Status == "ok"), Within), string.Join("\n", healed));
    }

    /// <summary><c>berth topology</c> on a manager (the nodes, the overlay's tasks per node with addresses, the ports) and on the worker.</summary>
    private void Topology()
    {
        using var json = JsonDocument.Parse(Node(1).BerthCli("topology", "--format", "json").Output);
        var nodes = json.RootElement.GetProperty("Nodes").EnumerateArray().ToDictionary(n => n.GetProperty("Address").GetString()!, n => n.GetProperty("Role").GetString());
        Assert.Equal(new Dictionary<string, string?> { [Address(1)] = "leader", [Address(2)] = "manager", [Address(3)] = "worker" }, nodes);
        var appnet = json.RootElement.GetProperty("Networks").EnumerateArray().Single(n => n.GetProperty("Name").GetString() == "appnet");
        var tasks = appnet.GetProperty("Tasks").EnumerateArray().ToDictionary(t => t.GetProperty("Name").GetString()!, t => (NodeId: t.GetProperty("NodeId").GetString(), Address: t.GetProperty("Address").GetString()));
        Assert.Equal(["hostweb.1", "web.1", "web.2"], tasks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(NodeId(3), tasks["hostweb.1"].NodeId);
        Assert.Equal(new[] { NodeId(1), NodeId(2) }.Order(StringComparer.Ordinal), new[] { tasks["web.1"].NodeId, tasks["web.2"].NodeId }.Order(StringComparer.Ordinal));
        Assert.All(tasks.Values, t => Assert.Matches(@"^10\.93\.0\.\d+/24$", t.Address));

        string tree = Node(1).BerthCli("topology").Output;
        string onWorker = Node(3).BerthCli("topology").Output;
        Assert.Matches(
            $@"overlay appnet 10\.93\.0\.0/24 gw 10\.93\.0\.1 \(vni \d+, mtu 1450\)\n├─ node \S+ {Address(2)}\n│  └─ web\.\d 10\.93\.0\.\d+/24 running\n" +
            $@"├─ node \S+ {Address(3)}\n│  └─ hostweb\.1 10\.93\.0\.\d+/24 running\n└─ node \S+ \(this host\) {Address(1)}\n   └─ web\.\d 10\.93\.0\.\d+/24 running\n", tree);
        Assert.Contains("0.0.0.0:8080/tcp → web *:8080 (via ingress)", tree, StringComparison.Ordinal);
        Assert.Contains($"{Address(3)}:9090/tcp → hostweb *:9090 (via host mode)", tree, StringComparison.Ordinal);
        Assert.Matches($@"swarm nodes\n├─ \S+ {Address(1)} leader ready active \(this node\)\n├─ \S+ {Address(2)} manager ready active\n└─ \S+ {Address(3)} worker ready active\n", tree);

        // The worker: its own containers on the overlay under itself among the peers, itself as a node, and why no more.
        Assert.Matches($@"[├└]─ node \S+ \(this host\) {Address(3)}\n[│ ]  └─ hostweb\.1\.\w+ 10\.93\.0\.\d+/24 running\n", onWorker);
        Assert.Matches($@"[├└]─ node {NodeId(1)} {Address(1)}\n", onWorker);
        Assert.Matches($@"swarm nodes\n└─ \S+ {Address(3)} worker active \(this node\)\n", onWorker);
        Assert.Contains("swarm: this node is a worker; the nodes and the service tasks are known to managers", onWorker, StringComparison.Ordinal);
    }

    private static string[] Httpd(int port) => ["sh", "-c", $"mkdir -p /www && exec httpd -f -p {port} -h /www"];

    private sealed record Finding(string Check, string Subject, string Status, string Found, string? Fix);

    /// <summary>The cluster lines of <c>berth doctor --format json</c> on <paramref name="daemon"/>.</summary>
    private static List<Finding> Cluster(Berthd daemon)
    {
        var result = daemon.BerthCli("doctor", "--format", "json");
        using var report = JsonDocument.Parse(result.Output);
        return [.. report.RootElement.GetProperty("Findings").EnumerateArray()
            .Select(f => new Finding(f.GetProperty("Check").GetString()!, f.GetProperty("Subject").GetString()!, f.GetProperty("Status").GetString()!,
                f.GetProperty("Found").GetString()!, f.GetProperty("Fix").GetString()))
            .Where(f => f.Check.StartsWith("cluster ", StringComparison.Ordinal))];
    }

    /// <summary>The one finding of <paramref name="check"/> whose subject is <paramref name="subject"/> or a node at that address.</summary>
    private static Finding On(List<Finding> findings, string check, string subject)
    {
        var matching = findings.Where(f => f.Check == check && (f.Subject == subject || f.Subject.EndsWith($"({subject})", StringComparison.Ordinal))).ToList();
        Assert.True(matching.Count == 1, $"{matching.Count} findings of {check} on {subject} in:\n" + string.Join("\n", findings));
        return matching[0];
    }
}
