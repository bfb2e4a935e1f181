using Berth.EndToEndTests.Compose;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// <c>docker stack deploy</c> of the guide's stack file, verbatim, with the real docker CLI (which does the stack logic
/// itself over the Docker API) on a lab swarm, the guide's images stood in for by busybox ones: the services converge
/// with their replica counts, <c>fe</c> answers on every node's published port from a client on the LAN, <c>api</c>
/// reaches <c>db</c> by name across nodes, a second deploy replaces no task, and <c>stack rm</c> leaves nothing.
/// </summary>
public sealed class StackTests : ClusterTest
{
    private const string ClientAddress = "10.88.0.100";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    /// <summary>The guide's stack-ovl.yml, as printed.</summary>
    private const string GuideStack = """
        # stack-ovl.yml
        version: "3.9"
        networks:
          appnet:
            driver: overlay
            attachable: true

        services:
          db:
            image: postgres:15
            networks: [appnet]
            deploy:
              replicas: 1
              restart_policy:
                condition: on-failure

          api:
            image: myorg/api:1.0
            networks: [appnet]
            deploy:
              replicas: 3
              restart_policy:
                condition: on-failure

          fe:
            image: nginx:alpine
            networks: [appnet]
            ports:
              - "8080:80"
            deploy:
              replicas: 2
        """;

    [RootFact]
    public void TheGuidesStackDeploysAnswersAndGoes()
    {
        StartNodes(3);
        var (workerToken, _) = InitSwarm();
        Node(2).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        Node(3).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        for (int node = 1; node <= 3; node++)
        {
            GuideImages.Import(Node(node), Path.Combine(TestRoot, $"images{node}"));
        }

        string file = Path.Combine(TestRoot, "stack-ovl.yml");
        File.WriteAllText(file, GuideStack);
        var deployed = Node(1).DockerChecked("stack", "deploy", "-c", file, "appstack");
        Assert.Contains("Creating network appstack_appnet", deployed.Output, StringComparison.Ordinal);
        Assert.Contains("Creating service appstack_fe", deployed.Output, StringComparison.Ordinal);

        Assert.True(Poll.Until(() => Node(1).DockerChecked("stack", "services", "appstack", "--format", "{{.Name}} {{.Replicas}}").Output.Trim()
            == "appstack_api 3/3\nappstack_db 1/1\nappstack_fe 2/2", Within),
            "the stack did not converge:\n" + Node(1).Docker("stack", "ps", "appstack").Output);
        Assert.Equal("appstack 3", Node(1).DockerChecked("stack", "ls", "--format", "{{.Name}} {{.Services}}").Output.Trim());
        Assert.Equal("overlay swarm true appstack", Node(1).DockerChecked("network", "inspect", "-f",
            "{{.Driver}} {{.Scope}} {{.Attachable}} {{index .Labels \"com.docker.stack.namespace\"}}", "appstack_appnet").Output.Trim());

        // fe through the routing mesh on every node, from the LAN.
        var client = AddLanHost("client", ClientAddress);
        using var http = new NetnsHttpClient(client.NetnsPath, Runner);
        for (int node = 1; node <= 3; node++)
        {
            string url = $"http://{Address(node)}:8080/";
            Assert.True(Poll.Until(() => http.TryGetAsync(url, TimeSpan.FromSeconds(2)).GetAwaiter().GetResult()?.Trim() == GuideImages.Page, Within),
                $"fe does not answer on node {node}");
        }

        // api reaches db by its service name over appnet, from every api task (they are on several nodes).
        foreach (var node in Nodes)
        {
            foreach (string api in node.DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=appstack_api").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(Poll.Until(() => node.Docker("exec", api, "nc", "-w", "2", "db", "5432").Output.Trim() == GuideImages.PostgresReply, Within),
                    $"api task {api} does not reach db by name");
            }
        }

        // Deploying the same file again replaces no task (the CLI updates every service; the specs are the same).
        string[] services = Node(1).DockerChecked("service", "ls", "-q").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string before = Node(1).DockerChecked(["service", "ps", "-q", "--filter", "desired-state=running", .. services]).Output;
        Node(1).DockerChecked("stack", "deploy", "-c", file, "appstack");
        Thread.Sleep(TimeSpan.FromSeconds(2));
        Assert.Equal(before, Node(1).DockerChecked(["service", "ps", "-q", "--filter", "desired-state=running", .. services]).Output);

        // stack rm: no service, no task container, no network left on any node.
        Node(1).DockerChecked("stack", "rm", "appstack");
        Assert.True(Poll.Until(() => Nodes.All(n => n.DockerChecked("ps", "-aq", "--filter", "label=com.docker.stack.namespace=appstack").Output.Trim().Length == 0), Within),
            "stack rm left task containers");
        Assert.Empty(Node(1).DockerChecked("service", "ls", "-q").Output.Trim());
        Assert.True(Poll.Until(() => !Node(1).DockerChecked("network", "ls", "--format", "{{.Name}}").Output.Contains("appstack_appnet", StringComparison.Ordinal), Within),
            "stack rm left the network");
    }
}
