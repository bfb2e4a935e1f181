using System.Net;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// The routing mesh with the real docker CLI across three lab nodes and a client on their LAN: the swarm's
/// <c>ingress</c> network made at init, a port published in ingress mode answering on every node (also those without a
/// task), balanced over the tasks, and the task seeing the client's own address (its log and its answer) — what
/// Docker's mesh SNATs away (moby#25526). Removing the service closes the port everywhere; ingress cannot be removed
/// while a service publishes through it, and without it an ingress port is refused.
/// </summary>
public sealed class RoutingMeshTests : ClusterTest
{
    private const string ClientAddress = "10.88.0.100";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    /// <summary>busybox httpd answering <c>/cgi-bin/ip</c> with the client's address and the task's hostname, and logging the client (to httpd's stdout).</summary>
    private static readonly string[] WhoSeesWhom =
    [
        "sh", "-c",
        "mkdir -p /www/cgi-bin && printf '%s\\n' '#!/bin/sh' 'echo \"client $REMOTE_ADDR\" > /proc/1/fd/1' 'echo Content-Type: text/plain' 'echo' 'echo \"$REMOTE_ADDR $(hostname)\"' > /www/cgi-bin/ip"
        + " && chmod +x /www/cgi-bin/ip && exec httpd -f -p 8080 -h /www",
    ];

    [RootFact]
    public void AnIngressPortAnswersOnEveryNodeBalancedAndTheTaskSeesTheClient()
    {
        StartNodes(3);
        var (workerToken, _) = InitSwarm();
        // Made by swarm init, as Docker's: an overlay with Ingress set, listed on every node.
        Assert.Equal("overlay swarm true false", Node(1).DockerChecked("network", "inspect", "-f", "{{.Driver}} {{.Scope}} {{.Ingress}} {{.Attachable}}", "ingress").Output.Trim());
        Node(2).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        Node(3).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        // (A joined node follows the cluster's networks from its new session, a moment after join returns.)
        Assert.True(Poll.Until(() => Node(3).DockerChecked("network", "ls", "--format", "{{.Name}}").Output.Split('\n').Contains("ingress"), Within), "node 3 does not list ingress");
        foreach (var node in Nodes)
        {
            BusyboxImage.Import(node, TestRoot);
        }

        var client = AddLanHost("client", ClientAddress);
        using var http = new NetnsHttpClient(client.NetnsPath, Runner);

        // One task, on node 3: nodes 1 and 2 have none, and answer all the same.
        // (Its hostname is a Docker template, expanded on the task's node: web-<slot>.)
        Node(1).DockerChecked(["service", "create", "--name", "web", "--publish", "published=8080,target=8080", "--constraint", $"node.id=={NodeId(3)}",
            "--hostname", "{{.Service.Name}}-{{.Task.Slot}}", "--no-resolve-image", "bb:latest", .. WhoSeesWhom]);
        Assert.NotEmpty(Node(3).DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=web").Output.Trim());
        const string task = "web-1";
        for (int node = 1; node <= 3; node++)
        {
            string? answer = null;
            Assert.True(Poll.Until(() => (answer = Ask(http, node)) is not null, Within), $"port 8080 does not answer on node {node}");
            // The task sees the client itself: nothing on the path SNATs.
            Assert.Equal($"{ClientAddress} {task}", answer);
        }

        // Beside another firewall user whose forward chain drops (Docker's iptables FORWARD policy): node 1 still carries
        // the mesh, through Berth's accept rules for its entry at the top of that chain; that chain does see the mesh's
        // traffic (a drop put above them stops it) — the rest of this test runs with the policy still DROP on node 1.
        NodeIptables(1, "-P", "FORWARD", "DROP");
        Assert.True(Poll.Until(() => NodeIptables(1, "-S", "FORWARD").Contains("-o ingress0", StringComparison.Ordinal), Within),
            "no accept rules for ingress0 in iptables' FORWARD:\n" + NodeIptables(1, "-S", "FORWARD"));
        Assert.Contains("-i ingress0 -m comment --comment \"berth:ingress0\" -j ACCEPT", NodeIptables(1, "-S", "FORWARD"), StringComparison.Ordinal);
        Assert.True(Poll.Until(() => Ask(http, 1) is not null, Within), "node 1 does not carry the mesh beside iptables' FORWARD policy DROP");
        NodeIptables(1, "-I", "FORWARD", "1", "-j", "DROP");
        Assert.True(Poll.Until(() => Ask(http, 1) is null, Within), "a drop at the top of FORWARD does not stop the mesh: the test proves nothing");
        NodeIptables(1, "-D", "FORWARD", "1");
        Assert.True(Poll.Until(() => Ask(http, 1) is not null, Within), "node 1 does not carry the mesh again once the drop is gone");

        // The task's log names the client too (Docker's mesh would show the ingress network's address of the node).
        Assert.True(Poll.Until(() => Node(1).Docker("service", "logs", "web").Output.Contains(ClientAddress, StringComparison.Ordinal), Within),
            "the task's log does not show the client's address:\n" + Node(1).Docker("service", "logs", "web").Output);

        // Three tasks, one per node: connections through a node with a task are balanced over all of them.
        Node(1).DockerChecked("service", "update", "--constraint-rm", $"node.id=={NodeId(3)}", "--replicas-max-per-node", "1", "--replicas", "3", "web");
        Assert.All(Nodes, n => Assert.NotEmpty(n.DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=web").Output.Trim()));
        HashSet<string> tasks = ["web-1", "web-2", "web-3"];
        var seen = new HashSet<string>();
        Assert.True(Poll.Until(() =>
        {
            for (int i = 0; i < 15; i++)
            {
                if (Ask(http, 1) is { } answer)
                {
                    Assert.StartsWith(ClientAddress + " ", answer, StringComparison.Ordinal);
                    seen.Add(answer[(ClientAddress.Length + 1)..]);
                }
            }

            return seen.SetEquals(tasks);
        }, Within), $"not every task answers through node 1: {string.Join(",", seen)} vs {string.Join(",", tasks)}");

        // ingress is kept while a service publishes through it. (Through the API: the CLI asks for a confirmation first.)
        var refused = RemoveIngress();
        Assert.True(refused.Status == HttpStatusCode.Forbidden && refused.Body.Contains("ingress network cannot be removed because service ", StringComparison.Ordinal), $"{refused.Status} {refused.Body}");

        // The service goes: its port goes on every node.
        Node(1).DockerChecked("service", "rm", "web");
        for (int node = 1; node <= 3; node++)
        {
            int n = node;
            Assert.True(Poll.Until(() => Ask(http, n) is null, Within), $"port 8080 still answers on node {node} after service rm");
        }

        // Without ingress an ingress port is refused, nothing made; with the user's own ingress network it works again.
        Assert.True(Poll.Until(() => RemoveIngress().Status == HttpStatusCode.NoContent, Within), "ingress cannot be removed after its last service: " + RemoveIngress().Body);
        Assert.DoesNotContain("ingress", Node(3).DockerChecked("network", "ls", "--format", "{{.Name}}").Output.Split('\n'));
        Assert.Contains("no ingress network is present", Node(1).Docker("service", "create", "--name", "web2", "--publish", "8081:8080", "--no-resolve-image", "bb:latest", "true").Error,
            StringComparison.Ordinal);
        Assert.Empty(Node(1).DockerChecked("service", "ls", "-q").Output.Trim());
        Node(1).DockerChecked("network", "create", "-d", "overlay", "--ingress", "--subnet", "10.99.0.0/24", "my-ingress");
        Node(1).DockerChecked(["service", "create", "--name", "web2", "--publish", "8081:8080", "--no-resolve-image", "bb:latest", .. WhoSeesWhom]);
        Assert.True(Poll.Until(() => Ask(http, 2, 8081) is { } answer && answer.StartsWith(ClientAddress + " ", StringComparison.Ordinal), Within),
            "the user's ingress network does not carry the mesh");
        Node(1).DockerChecked("service", "rm", "web2");

        // A node that leaves the swarm leaves the mesh: its entry (ingress0, in my-ingress's subnet) and the sandbox go;
        // its task containers go too, as moby's Leave removes them (a global service's task is running there).
        Assert.True(Poll.Until(() => HostIp(2, "-4", "addr", "show", "ingress0").Contains("inet 10.99.0.", StringComparison.Ordinal), Within), "node 2 has no entry into my-ingress");
        Node(1).DockerChecked("service", "create", "--detach", "--name", "everywhere", "--mode", "global", "--publish", "8082:8080", "--no-resolve-image", "bb:latest", "sleep", "3600");
        Assert.True(Poll.Until(() => Node(2).DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=everywhere").Output.Trim().Length > 0, Within),
            "the global service has no running task on node 2");
        Node(2).DockerChecked("swarm", "leave");
        Assert.Empty(Node(2).DockerChecked("ps", "-aq", "--filter", "label=com.docker.swarm.node.id").Output.Trim());
        Assert.True(Poll.Until(() => HostIp(2, "link", "show", "ingress0").Length == 0, Within), "node 2 kept its entry after leaving the swarm");
        Assert.True(Poll.Until(() => Directory.GetFiles(Path.Combine(Node(2).ExecRoot, "netns"), "ov-*").Length == 0, Within),
            "node 2 kept an overlay sandbox after leaving the swarm: " + string.Join(", ", Directory.GetFiles(Path.Combine(Node(2).ExecRoot, "netns"), "ov-*")));
    }

    private (HttpStatusCode Status, string Body) RemoveIngress()
    {
        using var api = DaemonApi.Client(Node(1));
        using var response = api.DeleteAsync("/v1.45/networks/ingress").GetAwaiter().GetResult();
        return (response.StatusCode, response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    /// <summary><c>iptables ARGS</c> (iptables-nft) in node <paramref name="node"/>'s host namespace; its output.</summary>
    private string NodeIptables(int node, params string[] args) => Cmd.Check("nsenter", [$"--net={NodeHost(node).NetnsPath}", "iptables", .. args]);

    /// <summary><c>ip ARGS</c> in node <paramref name="node"/>'s host namespace; empty when it fails (no such link).</summary>
    private string HostIp(int node, params string[] args)
    {
        var result = Cmd.Run("nsenter", [$"--net={NodeHost(node).NetnsPath}", "ip", .. args]);
        return result.Succeeded ? result.Output : "";
    }

    /// <summary>The answer of <c>/cgi-bin/ip</c> through node <paramref name="node"/>, trimmed; null when it does not answer.</summary>
    private static string? Ask(NetnsHttpClient http, int node, int port = 8080) =>
        http.TryGetAsync($"http://{Address(node)}:{port}/cgi-bin/ip", TimeSpan.FromSeconds(2)).GetAwaiter().GetResult()?.Trim()
            .Replace("[::ffff:", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal); // httpd's IPv4-mapped form
}
