using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// Overlay networks when nodes fail and come back, and the container commands on them, with the real docker CLI: a
/// node killed with -9 leaves the others' kernel tables within its lease and returns when its berthd does; a clean
/// restart resumes the traffic; <c>network connect/disconnect</c> and <c>--ip</c> across nodes; 200 containers on
/// three nodes (long tier). What the tables hold is read from each node's sandbox namespace with <c>bridge</c> and
/// <c>ip</c>; what flows is shown by pings, TCP and DNS answers.
/// </summary>
public sealed class OverlayResilienceTests(ITestOutputHelper output) : ClusterTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    /// <summary>The lease is 5 s; its expiry, the watch and the kernel writes get another 5.</summary>
    private static readonly TimeSpan WithinLease = TimeSpan.FromSeconds(10);

    /// <summary>Containers of the long tier's test, spread over three nodes.</summary>
    private const int ManyContainers = 200;

    /// <summary>How many names of each other node every container of the long test pings.</summary>
    private const int PingsPerNode = 10;

    /// <summary>docker exec sessions the long test runs at once (a 2-core machine).</summary>
    private const int ParallelExecs = 3;

    [RootFact]
    public void AKilledNodesEndpointsLeaveTheOthersWithinItsLeaseAndComeBackWhenItsBerthdRestarts()
    {
        string network = NodesAndAnOverlay("lan");
        Node(1).DockerChecked("run", "-d", "--network", "lan", "--name", "alpha", "bb:latest", "sleep", "600");
        Node(1).DockerChecked("run", "-d", "--network", "lan", "--name", "gone", "bb:latest", "sleep", "600");
        Node(2).DockerChecked(["run", "-d", "--network", "lan", "--name", "bravo", "bb:latest", .. ContainerProbe.ListenCommand]);
        Node(3).DockerChecked("run", "-d", "--network", "lan", "--name", "charlie", "bb:latest", "sleep", "600");
        var alpha = EndpointOf(1, "alpha", "lan");
        var bravo = EndpointOf(2, "bravo", "lan");
        var gone = EndpointOf(1, "gone", "lan");
        string bravoNetns = ContainerNetns(2, "bravo");
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(1), "alpha", "bravo") && ContainerProbe.Pings(Node(3), "charlie", "bravo"), Within),
            "alpha or charlie cannot ping bravo\n" + Node(2).Log);
        Assert.Equal(3, PeerEntries(1, network, bravo));
        Assert.Equal(3, PeerEntries(3, network, bravo));

        // Only berthd dies: bravo keeps running (conmon is its parent), but its lease is not kept alive any more.
        var clock = Stopwatch.StartNew();
        Node(2).Kill();
        Assert.True(Poll.Until(() => PeerEntries(1, network, bravo) == 0 && PeerEntries(3, network, bravo) == 0, WithinLease),
            $"bravo's entries still on node1 ({PeerEntries(1, network, bravo)}) or node3 ({PeerEntries(3, network, bravo)}) {clock.Elapsed.TotalSeconds:0.0} s after node2 died\n{Node(1).Log}");
        output.WriteLine($"node2's endpoint left node1's and node3's tables {clock.Elapsed.TotalMilliseconds:0} ms after kill -9 (lease TTL 5 s)");
        Assert.Equal(ContainerProbe.EchoReply, Cmd.Run("nsenter", $"--net={bravoNetns}", "busybox", "nc", "-w", "2", "127.0.0.1", "8080").Output.Trim());
        Assert.False(Node(3).Docker("exec", "charlie", "nslookup", "bravo").Succeeded, "node3 still resolves bravo");
        Assert.False(Node(1).Docker("exec", "alpha", "nslookup", "bravo").Succeeded, "node1 still resolves bravo");
        Assert.False(ContainerProbe.Pings(Node(3), "charlie", bravo.Address), "charlie still reaches bravo's address");
        // bravo's own node still has the others programmed, but their answers find no way back to it.
        Assert.False(Cmd.Run("nsenter", $"--net={bravoNetns}", "busybox", "ping", "-c1", "-W1", alpha.Address).Succeeded, "bravo still reaches alpha");

        // While node2 is away the overlay changes: it must list everyone again when it is back, not just add.
        Node(1).DockerChecked("rm", "-f", "gone");
        Node(3).DockerChecked("run", "-d", "--network", "lan", "--name", "delta", "bb:latest", "sleep", "600");
        var delta = EndpointOf(3, "delta", "lan");

        clock.Restart();
        Restart(2);
        Assert.True(Poll.Until(() => PeerEntries(1, network, bravo) == 3 && PeerEntries(3, network, bravo) == 3
                && PeerEntries(2, network, alpha) == 3 && PeerEntries(2, network, delta) == 3 && PeerEntries(2, network, gone) == 0, Within),
            $"after node2's restart: bravo on node1 {PeerEntries(1, network, bravo)}/3, on node3 {PeerEntries(3, network, bravo)}/3; on node2 alpha "
            + $"{PeerEntries(2, network, alpha)}/3, delta {PeerEntries(2, network, delta)}/3, gone {PeerEntries(2, network, gone)}/0\n{Node(2).Log}");
        output.WriteLine($"node2 converged {clock.Elapsed.TotalMilliseconds:0} ms after its berthd was started again (its start included)");
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(2), "bravo", "alpha"), Within), "bravo cannot ping alpha by name after the restart\n" + Node(2).Log);
        Assert.True(ContainerProbe.Pings(Node(2), "bravo", "delta"), "bravo cannot ping delta (started while node2 was down) by name");
        Assert.True(ContainerProbe.Pings(Node(1), "alpha", "bravo"), "alpha cannot ping bravo by name after the restart");
        Assert.True(ContainerProbe.Pings(Node(3), "delta", "bravo"), "delta cannot ping bravo by name after the restart");
        Assert.Equal(ContainerProbe.EchoReply, ContainerProbe.Talk(Node(3), "charlie", "bravo"));
        Assert.False(Node(2).Docker("exec", "bravo", "nslookup", "gone").Succeeded, "node2 still resolves gone, removed while it was down");
        Assert.False(ContainerProbe.Pings(Node(2), "bravo", gone.Address), "bravo reaches gone's old address");
    }

    [RootFact]
    public void OverlayTrafficResumesAfterACleanRestartOfAWorkersAndOfTheManagersBerthd()
    {
        string network = NodesAndAnOverlay("lan", nodes: 2);
        Node(1).DockerChecked(["run", "-d", "--network", "lan", "--name", "alpha", "bb:latest", .. ContainerProbe.ListenCommand]);
        Node(2).DockerChecked(["run", "-d", "--network", "lan", "--name", "bravo", "bb:latest", .. ContainerProbe.ListenCommand]);
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(2), "bravo", "alpha"), Within), "bravo cannot ping alpha\n" + Node(2).Log);
        var alpha = EndpointOf(1, "alpha", "lan");
        var bravo = EndpointOf(2, "bravo", "lan");

        foreach (int node in (int[])[2, 1])
        {
            int other = 3 - node;
            string name = node == 1 ? "alpha" : "bravo", otherName = node == 1 ? "bravo" : "alpha";
            string started = Node(node).DockerChecked("inspect", "-f", "{{.State.StartedAt}}", name).Output.Trim();
            Assert.Equal(0, Node(node).Stop());
            // Meanwhile the other node still shows its container on the overlay (with the manager gone, its cluster is out of reach).
            Assert.Equal(other == 1 ? alpha : bravo, EndpointOf(other, otherName, "lan"));
            Restart(node);
            Assert.Equal(started, Node(node).DockerChecked("inspect", "-f", "{{.State.StartedAt}}", name).Output.Trim());
            Assert.Equal(node == 1 ? alpha : bravo, EndpointOf(node, name, "lan"));
            Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(node), name, otherName) && ContainerProbe.Pings(Node(other), otherName, name), Within),
                $"no pings between {name} and {otherName} after node{node}'s berthd restarted: {name} to {otherName} {ContainerProbe.Pings(Node(node), name, otherName)}, back "
                + $"{ContainerProbe.Pings(Node(other), otherName, name)}, by address {ContainerProbe.Pings(Node(node), name, node == 1 ? bravo.Address : alpha.Address)}; bravo on node1 "
                + $"{PeerEntries(1, network, bravo)}/3, alpha on node2 {PeerEntries(2, network, alpha)}/3; nslookup {Node(node).Docker("exec", name, "nslookup", otherName)}\n{Node(node).Log}");
            Assert.Equal(ContainerProbe.EchoReply, ContainerProbe.Talk(Node(node), name, otherName));
            Assert.Equal(ContainerProbe.EchoReply, ContainerProbe.Talk(Node(other), otherName, name));
            Assert.Equal(3, PeerEntries(1, network, bravo));
            Assert.Equal(3, PeerEntries(2, network, alpha));
        }
    }

    [RootFact]
    public void NetworkConnectAndDisconnectOfARunningContainerAndStaticAddressesAcrossNodes()
    {
        string network = NodesAndAnOverlay("ov", subnet: "10.66.0.0/24");
        Node(1).DockerChecked("network", "create", "-d", "overlay", "--attachable", "auto");
        Node(1).DockerChecked("network", "create", "local");
        Node(1).DockerChecked(["run", "-d", "--network", "local", "--name", "web", "bb:latest", .. ContainerProbe.ListenCommand]);
        Node(2).DockerChecked(["run", "-d", "--network", "ov", "--ip", "10.66.0.50", "--name", "peer", "bb:latest", .. ContainerProbe.ListenCommand]);
        Assert.Equal("10.66.0.50", EndpointOf(2, "peer", "ov").Address);
        Assert.False(File.Exists(SandboxPath(1, network)), "node1 has a sandbox before any container of it is on the overlay");

        // Connect: web gets eth1 on the overlay and talks to peer on node2 by name, both ways.
        Node(1).DockerChecked("network", "connect", "ov", "web");
        var web = EndpointOf(1, "web", "ov");
        Assert.StartsWith("10.66.0.", web.Address, StringComparison.Ordinal);
        Assert.Contains("inet " + web.Address + "/24", Node(1).DockerChecked("exec", "web", "ip", "-o", "-4", "addr", "show", "eth1").Output, StringComparison.Ordinal);
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(1), "web", "peer"), Within), "web cannot ping peer by name\n" + Node(1).Log);
        Assert.True(ContainerProbe.Pings(Node(2), "peer", "web"), "peer cannot ping web by name");
        Assert.Equal(ContainerProbe.EchoReply, ContainerProbe.Talk(Node(2), "peer", "web"));
        Assert.Equal(ContainerProbe.EchoReply, ContainerProbe.Talk(Node(1), "web", "peer"));
        Assert.Equal(3, PeerEntries(2, network, web));

        // Disconnect: the interface, the name and the way to it go; so does node1's sandbox (web was its last endpoint).
        Node(1).DockerChecked("network", "disconnect", "ov", "web");
        Assert.False(Node(1).Docker("exec", "web", "ip", "link", "show", "eth1").Succeeded, "web still has eth1");
        Assert.False(File.Exists(SandboxPath(1, network)), "node1's sandbox outlived its last endpoint");
        Assert.True(Poll.Until(() => PeerEntries(2, network, web) == 0, Within), "node2 still has web's entries");
        Assert.False(ContainerProbe.Pings(Node(2), "peer", web.Address), "peer still reaches web's old overlay address");
        Assert.False(Node(2).Docker("exec", "peer", "nslookup", "web").Succeeded, "node2 still resolves web");
        Assert.True(ContainerProbe.Pings(Node(1), "web", "web"), "web lost its own bridge network");

        // Connect again with a static address: that one, reachable from node2 by name.
        Node(1).DockerChecked("network", "connect", "--ip", "10.66.0.60", "ov", "web");
        Assert.Equal("10.66.0.60", EndpointOf(1, "web", "ov").Address);
        Assert.True(Poll.Until(() => ContainerProbe.Pings(Node(2), "peer", "web"), Within), "peer cannot ping web after it connected again");
        Assert.Equal(ContainerProbe.EchoReply, ContainerProbe.Talk(Node(2), "peer", "10.66.0.60"));

        // A taken address, wherever its holder runs, is Docker's refusal, and leaves nothing: node1's sandbox has web's veth only.
        var run = Node(3).Docker("run", "--rm", "--network", "ov", "--ip", "10.66.0.50", "bb:latest", "true");
        Assert.Contains("Address already in use", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(SandboxPath(3, network)), "a refused run left node3 a sandbox");
        Node(1).DockerChecked("run", "-d", "--network", "local", "--name", "other", "bb:latest", "sleep", "600");
        var connect = Node(1).Docker("network", "connect", "--ip", "10.66.0.50", "ov", "other");
        Assert.Contains("Address already in use", connect.Error, StringComparison.Ordinal);
        Assert.False(Node(1).Docker("exec", "other", "ip", "link", "show", "eth1").Succeeded, "a refused connect left other an eth1");
        Assert.Single(SandboxPorts(1, network));
        Assert.Contains("user specified IP address is supported only when connecting to networks with user configured subnets",
            Node(1).Docker("network", "connect", "--ip", "10.0.9.9", "auto", "other").Error, StringComparison.Ordinal);

        Node(1).DockerChecked("rm", "-f", "web", "other");
        Node(2).DockerChecked("rm", "-f", "peer");
        Node(1).DockerChecked("network", "rm", "ov", "auto", "local");
        for (int node = 1; node <= 3; node++)
        {
            Assert.False(File.Exists(SandboxPath(node, network)), $"node{node} kept a sandbox");
        }
    }

    [LongRootFact]
    public void TwoHundredContainersOnThreeNodesResolveAndPingEachOthersNames()
    {
        string network = NodesAndAnOverlay("many", subnet: "10.70.0.0/22");
        var total = Stopwatch.StartNew();
        var byNode = Enumerable.Range(1, 3).ToDictionary(node => node,
            node => Enumerable.Range(0, ManyContainers).Where(i => i % 3 == node - 1).Select(i => string.Create(CultureInfo.InvariantCulture, $"n{node}c{i:D3}")).ToArray());
        var ids = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        Parallel.ForEach(byNode, pair =>
        {
            foreach (string name in pair.Value)
            {
                ids[name] = Node(pair.Key).DockerChecked("run", "-d", "--network", "many", "--name", name, "bb:latest", "sleep", "3600").Output.Trim();
            }
        });
        var started = total.Elapsed;

        // Every node programs every other node's endpoints, and nothing more (no flood entry, no own endpoints).
        var clock = Stopwatch.StartNew();
        Assert.True(Poll.Until(() => byNode.All(pair => NeighbourCount(pair.Key, network) == ManyContainers - pair.Value.Length), TimeSpan.FromSeconds(60)),
            string.Join(", ", byNode.Keys.Select(node => $"node{node}: {NeighbourCount(node, network)} neighbours")));
        var converged = clock.Elapsed;

        // Every name resolves on every node.
        clock.Restart();
        string[] all = [.. byNode.Values.SelectMany(names => names)];
        string resolveAll = "for n in " + string.Join(' ', all) + "; do nslookup $n >/dev/null 2>&1 || echo $n; done";
        Parallel.ForEach(byNode, pair =>
        {
            string unresolved = Node(pair.Key).DockerChecked("exec", pair.Value[0], "sh", "-c", resolveAll).Output.Trim();
            Assert.True(unresolved.Length == 0, $"{pair.Value[0]} on node{pair.Key} cannot resolve: {unresolved}");
        });
        var resolved = clock.Elapsed;

        // Every container pings 10 random names on each other node by name (a lost packet is asked again once). The
        // three nodes share this machine's kernel, and with it one ARP table for all their namespaces (gc_thresh3: 1,024
        // entries; an entry is not collected while REACHABLE, ~30 s): after an asker's pings, its entries and its targets'
        // entries for it are removed, so the lab holds what one node would, not three nodes' worth of 60 new entries a
        // second (else "neighbor table overflow" drops packets: without this, dozens of containers lost pings asked twice).
        var addresses = byNode.SelectMany(pair => Node(pair.Key).DockerChecked(["inspect", "-f", "{{.Name}} {{(index .NetworkSettings.Networks \"many\").IPAddress}}", .. pair.Value])
            .Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimStart('/').Split(' '))).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        var nodeOf = byNode.SelectMany(pair => pair.Value.Select(name => (name, pair.Key))).ToDictionary(p => p.name, p => p.Key, StringComparer.Ordinal);
        string NetnsOf(string name) => Path.Combine(Node(nodeOf[name]).ExecRoot, "netns", "c-" + ids[name][..12]);
        clock.Restart();
        long tableFullsBefore = ArpTableFulls();
        var random = new Random(13);
        var plans = byNode.SelectMany(pair => pair.Value.Select(name => (Node: pair.Key, Name: name,
            Targets: byNode.Where(other => other.Key != pair.Key).SelectMany(other => Sample(random, other.Value)).ToArray()))).ToList();
        var failures = new ConcurrentBag<string>();
        Parallel.ForEach(plans, new ParallelOptions { MaxDegreeOfParallelism = ParallelExecs }, plan =>
        {
            string script = "for n in " + string.Join(' ', plan.Targets) + "; do ping -c1 -W2 $n >/dev/null 2>&1 || ping -c1 -W2 $n >/tmp/p 2>&1 || tr '\\n' ' ' </tmp/p; done";
            var result = Node(plan.Node).Docker("exec", plan.Name, "sh", "-c", script);
            if (!result.Succeeded || result.Output.Trim().Length > 0)
            {
                failures.Add($"{plan.Name} on node{plan.Node}: {result}");
            }

            Cmd.Check("nsenter", $"--net={NetnsOf(plan.Name)}", "ip", "neigh", "flush", "all");
            foreach (string target in plan.Targets)
            {
                Cmd.Run("nsenter", $"--net={NetnsOf(target)}", "ip", "neigh", "del", addresses[plan.Name], "dev", "eth0");
            }
        });
        var pinged = clock.Elapsed;
        long tableFulls = ArpTableFulls() - tableFullsBefore;
        output.WriteLine($"{ManyContainers} containers: started in {started.TotalSeconds:0.0} s, every node programmed in {converged.TotalSeconds:0.0} s more, "
            + $"{all.Length} names resolved on each node in {resolved.TotalSeconds:0.0} s, {plans.Sum(p => p.Targets.Length)} pings by name in {pinged.TotalSeconds:0.0} s; "
            + $"total {total.Elapsed.TotalSeconds:0.0} s; the kernel's ARP table was full {tableFulls} times meanwhile");
        Assert.True(failures.IsEmpty, $"{failures.Count} containers lost pings (the kernel's ARP table was full {tableFulls} times meanwhile, this machine's other work included):\n"
            + string.Join('\n', failures.Take(20)));
    }

    /// <summary>How often the kernel found its ARP table full (every namespace's together; /proc/net/stat/arp_cache, one line per CPU).</summary>
    private static long ArpTableFulls()
    {
        var lines = File.ReadAllLines("/proc/net/stat/arp_cache");
        int column = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "table_fulls");
        return lines.Skip(1).Sum(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[column], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    private static string[] Sample(Random random, string[] names)
    {
        string[] shuffled = [.. names];
        random.Shuffle(shuffled);
        return shuffled[..PingsPerNode];
    }

    /// <summary>
    /// The lab's nodes (node1 manager, the others workers), busybox on each, and an attachable overlay created on node1;
    /// returns the network's full id.
    /// </summary>
    private string NodesAndAnOverlay(string name, int nodes = 3, string? subnet = null)
    {
        StartNodes(nodes);
        var (workerToken, _) = InitSwarm();
        for (int node = 2; node <= nodes; node++)
        {
            Node(node).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        }

        foreach (var daemon in Nodes)
        {
            BusyboxImage.Import(daemon, TestRoot);
        }

        Node(1).DockerChecked(["network", "create", "-d", "overlay", "--attachable", .. subnet is null ? [] : new[] { "--subnet", subnet }, name]);
        return Node(1).DockerChecked("network", "inspect", "-f", "{{.Id}}", name).Output.Trim();
    }

    /// <summary>A container's address and MAC on a network, as its own node's inspect has them.</summary>
    private (string Address, string Mac) EndpointOf(int node, string container, string network)
    {
        var fields = Node(node).DockerChecked("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}} {{{{(index .NetworkSettings.Networks \"{network}\").MacAddress}}}}", container)
            .Output.Trim().Split(' ');
        return (fields[0], fields[1]);
    }

    /// <summary>The network namespace file of a container on node <paramref name="node"/> (it outlives its berthd).</summary>
    private string ContainerNetns(int node, string container) =>
        Path.Combine(Node(node).ExecRoot, "netns", "c-" + Node(node).DockerChecked("inspect", "-f", "{{.Id}}", container).Output.Trim()[..12]);

    /// <summary>The overlay sandbox of a network on node <paramref name="node"/>.</summary>
    private string SandboxPath(int node, string networkId) => Path.Combine(Node(node).ExecRoot, "netns", "ov-" + networkId[..12]);

    /// <summary>
    /// How many of a remote endpoint's three entries node <paramref name="node"/>'s sandbox holds (0 without a sandbox):
    /// vxlan0's FDB entry to a tunnel, br0's static entry on vxlan0, and vxlan0's neighbour.
    /// </summary>
    private int PeerEntries(int node, string networkId, (string Address, string Mac) endpoint)
    {
        string path = SandboxPath(node, networkId);
        if (!File.Exists(path))
        {
            return 0;
        }

        var fdb = Cmd.Check("nsenter", $"--net={path}", "bridge", "fdb", "show", "dev", "vxlan0").Split('\n');
        var neighbours = Cmd.Check("nsenter", $"--net={path}", "ip", "neigh", "show", "dev", "vxlan0").Split('\n');
        return fdb.Count(l => l.StartsWith(endpoint.Mac + " dst ", StringComparison.Ordinal))
            + fdb.Count(l => l.StartsWith(endpoint.Mac + " master br0", StringComparison.Ordinal))
            + neighbours.Count(l => l.StartsWith(endpoint.Address + " lladdr " + endpoint.Mac, StringComparison.Ordinal));
    }

    /// <summary>vxlan0's neighbours in node <paramref name="node"/>'s sandbox: one per remote endpoint.</summary>
    private int NeighbourCount(int node, string networkId)
    {
        string path = SandboxPath(node, networkId);
        return File.Exists(path)
            ? Cmd.Check("nsenter", $"--net={path}", "ip", "neigh", "show", "dev", "vxlan0").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length
            : 0;
    }

    /// <summary>The container ports (veths) on br0 in node <paramref name="node"/>'s sandbox.</summary>
    private string[] SandboxPorts(int node, string networkId) =>
        [.. Cmd.Check("nsenter", $"--net={SandboxPath(node, networkId)}", "ip", "-o", "link", "show", "master", "br0")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("vxlan0", StringComparison.Ordinal))];
}
