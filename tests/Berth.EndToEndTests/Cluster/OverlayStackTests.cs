using Berth.Cli.Tests.Stack;
using Berth.EndToEndTests.Compose;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// The guide's second stack file, <c>docker-stack-overlay.yml</c>, verbatim through the real <c>docker stack deploy</c>
/// on the 5-node lab swarm (three managers, two workers; the guide's images stood in for by busybox ones):
/// <c>database</c> is placed on a manager, three <c>application</c> tasks reach it by name across nodes, two
/// <c>loadbalancer</c> tasks answer on port 80 of every node from the LAN and reach <c>application</c> by its VIP name;
/// a changed file updates only what changed, <c>restart_policy: on-failure</c> restarts a task that exits 1 and not
/// one that exits 0, <c>--prune</c> removes what left the file, and <c>stack rm</c> leaves nothing. Then both guide
/// files again, by Berth's own <c>berth stack deploy</c>, side by side on the same lab.
/// </summary>
public sealed class OverlayStackTests : ClusterTest
{
    private const string ClientAddress = "10.88.0.100";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    /// <summary>The guide's docker-stack-overlay.yml, as printed.</summary>
    private const string GuideStack = GuideStacks.StackOverlay;

    [RootFact]
    public void TheGuidesOverlayStackPlacesItsDatabaseOnAManagerAnswersOnPort80EverywhereAndFollowsItsFile()
    {
        // The 5-node lab: three managers (an etcd member each), two workers.
        StartNodes(5);
        var (workerToken, managerToken) = InitSwarm();
        for (int node = 2; node <= 5; node++)
        {
            Node(node).DockerChecked("swarm", "join", "--token", node <= 3 ? managerToken : workerToken, $"{Address(1)}:2377");
        }

        for (int node = 1; node <= 5; node++)
        {
            GuideImages.Import(Node(node), Path.Combine(TestRoot, $"images{node}"));
        }

        string file = Path.Combine(TestRoot, "docker-stack-overlay.yml");
        File.WriteAllText(file, GuideStack);
        var deployed = Node(1).DockerChecked("stack", "deploy", "-c", file, "app");
        Assert.Contains("Creating network app_app_network", deployed.Output, StringComparison.Ordinal);
        Assert.Contains("Creating service app_loadbalancer", deployed.Output, StringComparison.Ordinal);

        Assert.True(Poll.Until(() => Node(1).DockerChecked("stack", "services", "app", "--format", "{{.Name}} {{.Replicas}} {{.Ports}}").Output.Trim()
            == "app_application 3/3 \napp_database 1/1 \napp_loadbalancer 2/2 *:80->80/tcp", Within),
            "the stack did not converge:\n" + Node(1).Docker("stack", "ps", "app").Output);

        // node.role == manager: the database's task is on one of the three managers, never on a worker.
        string[] managers = [NodeId(1), NodeId(2), NodeId(3)];
        string databaseTask = Node(1).DockerChecked("service", "ps", "-q", "--filter", "desired-state=running", "app_database").Output.Trim();
        Assert.Contains(Node(1).DockerChecked("inspect", "-f", "{{.NodeID}}", databaseTask).Output.Trim(), managers);
        Assert.All(new[] { Node(4), Node(5) }, worker =>
            Assert.Empty(worker.DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=app_database").Output.Trim()));

        // Every application task reaches the database by its service name over app_network, from whichever node it is on.
        int applications = 0;
        foreach (var node in Nodes)
        {
            foreach (string task in node.DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=app_application").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                applications++;
                Assert.True(Poll.Until(() => node.Docker("exec", task, "nc", "-w", "2", "database", "5432").Output.Trim() == GuideImages.PostgresReply, Within),
                    $"application task {task} does not reach the database by name");
            }
        }

        Assert.Equal(3, applications);

        // The loadbalancers answer on port 80 of every node (routing mesh), from a client on the LAN, and reach the
        // application through its VIP by name.
        var client = AddLanHost("client", ClientAddress);
        using var http = new NetnsHttpClient(client.NetnsPath, Runner);
        for (int node = 1; node <= 5; node++)
        {
            string url = $"http://{Address(node)}:80/";
            Assert.True(Poll.Until(() => http.TryGetAsync(url, TimeSpan.FromSeconds(2)).GetAwaiter().GetResult()?.Trim() == GuideImages.Page, Within),
                $"the loadbalancer does not answer on node {node}");
        }

        var balancer = Nodes.Select(n => (Node: n, Ids: n.DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=app_loadbalancer").Output.Trim()))
            .First(n => n.Ids.Length > 0);
        string balancerTask = balancer.Ids.Split('\n')[0];
        Assert.True(Poll.Until(() => balancer.Node.Docker("exec", balancerTask, "nc", "-w", "2", "application", GuideImages.ApiPort.ToString(System.Globalization.CultureInfo.InvariantCulture)).Output.Trim() == GuideImages.ApiReply, Within),
            "the loadbalancer does not reach the application by name");

        // A changed file updates only what changed: a new environment for application replaces its tasks and no
        // other; two new services show restart_policy on-failure (one exits 1 and is restarted, one exits 0 and is not).
        string[] Running(string service) => [.. Node(1).DockerChecked("service", "ps", "-q", "--filter", "desired-state=running", service).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
        var (database, applicationTasks, balancers) = (Running("app_database"), Running("app_application"), Running("app_loadbalancer"));
        File.WriteAllText(file, GuideStack.Replace("""
                  replicas: 3
                depends_on:
            """, """
                  replicas: 3
                environment:
                  - RELEASE=2
                depends_on:
            """, StringComparison.Ordinal) + """

              fails:
                image: bb:latest
                command: ["sh", "-c", "sleep 1; exit 1"]
                deploy:
                  restart_policy: {condition: on-failure, delay: 1s}
              completes:
                image: bb:latest
                command: ["sh", "-c", "sleep 1; exit 0"]
                deploy:
                  restart_policy: {condition: on-failure, delay: 1s}
            """);
        var changed = Node(1).DockerChecked("stack", "deploy", "-c", file, "app");
        Assert.Contains("Creating service app_fails", changed.Output, StringComparison.Ordinal);
        Assert.True(Poll.Until(() => Running("app_application").Length == 3 && !Running("app_application").Intersect(applicationTasks).Any()
            && Node(1).Docker("service", "inspect", "-f", "{{.UpdateStatus.State}}", "app_application").Output.Trim() == "completed", TimeSpan.FromSeconds(60)),
            "application was not updated:\n" + Node(1).Docker("service", "ps", "app_application").Output);
        Assert.Equal(database, Running("app_database"));
        Assert.Equal(balancers, Running("app_loadbalancer"));
        Assert.True(Poll.Until(() => Node(1).DockerChecked("service", "ps", "-q", "app_fails").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 3, Within),
            "a task that exits 1 is not restarted under on-failure:\n" + Node(1).Docker("service", "ps", "app_fails").Output);
        Assert.True(Poll.Until(() => Node(1).DockerChecked("service", "ps", "--format", "{{.CurrentState}}", "app_completes").Output.StartsWith("Complete", StringComparison.Ordinal), Within),
            "the task that exits 0 did not complete:\n" + Node(1).Docker("service", "ps", "app_completes").Output);
        Thread.Sleep(TimeSpan.FromSeconds(3)); // more than its restart delay
        Assert.Single(Node(1).DockerChecked("service", "ps", "-q", "app_completes").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // --prune: deployed without loadbalancer (and the two), it goes; the others stay as they are.
        File.WriteAllText(file, GuideStack[..GuideStack.IndexOf("  loadbalancer:", StringComparison.Ordinal)]);
        var pruned = Node(1).DockerChecked("stack", "deploy", "--prune", "-c", file, "app");
        Assert.Contains("Removing service app_loadbalancer", pruned.Output, StringComparison.Ordinal);
        Assert.Equal("app_application\napp_database", Node(1).DockerChecked("stack", "services", "app", "--format", "{{.Name}}").Output.Trim());
        Assert.Equal(database, Running("app_database"));
        Assert.True(Poll.Until(() => http.TryGetAsync($"http://{Address(4)}:80/", TimeSpan.FromSeconds(1)).GetAwaiter().GetResult() is null, Within),
            "port 80 still answers after the loadbalancer was pruned");

        Node(1).DockerChecked("stack", "rm", "app");
        Assert.True(Poll.Until(() => Nodes.All(n => n.DockerChecked("ps", "-aq", "--filter", "label=com.docker.stack.namespace=app").Output.Trim().Length == 0), Within),
            "stack rm left task containers");
        Assert.True(Poll.Until(() => !Node(1).DockerChecked("network", "ls", "--format", "{{.Name}}").Output.Contains("app_app_network", StringComparison.Ordinal), Within),
            "stack rm left the network");

        // Berth's own CLI on the same lab: both guide files by `berth stack deploy`, side by side; they converge, the
        // database is on a manager, both published ports answer on every node, names resolve across nodes, and one
        // `berth stack rm` of both leaves nothing.
        string stackOvl = Path.Combine(TestRoot, "stack-ovl.yml");
        File.WriteAllText(stackOvl, GuideStacks.StackOvl);
        File.WriteAllText(file, GuideStack);
        Berth("stack", "deploy", "-c", file, "app");
        Berth("stack", "deploy", "-c", stackOvl, "appstack");
        Assert.True(Poll.Until(() => Berth("stack", "services", "app", "--format", "{{.Name}} {{.Replicas}}").Trim() == "app_application 3/3\napp_database 1/1\napp_loadbalancer 2/2"
            && Berth("stack", "services", "appstack", "--format", "{{.Name}} {{.Replicas}}").Trim() == "appstack_api 3/3\nappstack_db 1/1\nappstack_fe 2/2", Within),
            "berth's stacks did not converge:\n" + Node(1).Docker("stack", "ps", "app").Output + Node(1).Docker("stack", "ps", "appstack").Output);
        string berthDatabase = Node(1).DockerChecked("service", "ps", "-q", "--filter", "desired-state=running", "app_database").Output.Trim();
        Assert.Contains(Node(1).DockerChecked("inspect", "-f", "{{.NodeID}}", berthDatabase).Output.Trim(), managers);
        for (int node = 1; node <= 5; node++)
        {
            foreach (int port in new[] { 80, 8080 })
            {
                string url = $"http://{Address(node)}:{port}/";
                Assert.True(Poll.Until(() => http.TryGetAsync(url, TimeSpan.FromSeconds(2)).GetAwaiter().GetResult()?.Trim() == GuideImages.Page, Within),
                    $"port {port} does not answer on node {node} for berth's stacks");
            }
        }

        foreach (var (service, peer) in new[] { ("app_application", "database"), ("appstack_api", "db") })
        {
            foreach (var node in Nodes)
            {
                foreach (string task in node.DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + service).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    Assert.True(Poll.Until(() => node.Docker("exec", task, "nc", "-w", "2", peer, "5432").Output.Trim() == GuideImages.PostgresReply, Within),
                        $"{service} task {task} does not reach {peer} by name");
                }
            }
        }

        Berth("stack", "rm", "app", "appstack");
        Assert.True(Poll.Until(() => Nodes.All(n => n.DockerChecked("ps", "-aq", "--filter", "label=com.docker.stack.namespace").Output.Trim().Length == 0), Within),
            "berth stack rm left task containers");
        Assert.True(Poll.Until(() => Node(1).DockerChecked("network", "ls", "--filter", "label=com.docker.stack.namespace", "-q").Output.Trim().Length == 0, Within),
            "berth stack rm left a network");
        Assert.Empty(Node(1).DockerChecked("service", "ls", "-q").Output.Trim());
    }

    /// <summary><c>berth ARGS</c> against node 1 (it must succeed); its output.</summary>
    private string Berth(params string[] args)
    {
        var result = Node(1).BerthCli(args);
        return result.Succeeded ? result.Output : throw new InvalidOperationException("berth failed: " + result);
    }
}
