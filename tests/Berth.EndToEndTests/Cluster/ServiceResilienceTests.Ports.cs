using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>Ports published in host mode, and the conflicts with the routing mesh Docker refuses.</summary>
public sealed partial class ServiceResilienceTests
{
    [RootFact]
    public void HostModePortsAnswerWhereATaskRunsOnlyAndAClaimOfTheSamePortThroughTheMeshIsRefused()
    {
        Swarm(managers: 1, workers: 2);
        var outsider = AddLanHost("outside", "10.88.0.50");

        // Global on the workers, each task's port 8080 on its node's own address.
        Node(1).DockerChecked(["service", "create", "--name", "hostweb", "--mode", "global", "--constraint", "node.role==worker",
            "--publish", "mode=host,published=8080,target=8080", .. Quick, "bb:latest", .. WhoAmI]);
        for (int node = 2; node <= 3; node++)
        {
            string id = Assert.Single(TaskContainers(node, "hostweb")).Id;
            int n = node;
            Assert.True(Poll.Until(() => Talk(outsider, Address(n)) == id, Within), $"node{n}:8080 does not answer with its task {id}: {Talk(outsider, Address(n))}");
        }

        Assert.Null(Talk(outsider, Address(1)));
        Assert.Contains("0.0.0.0:8080->8080/tcp", Node(2).DockerChecked("ps", "--filter", "label=com.docker.swarm.service.name=hostweb", "--format", "{{.Ports}}").Output,
            StringComparison.Ordinal);

        // A second service on the same host port: the scheduler keeps it off the nodes holding it, so it lands on node1;
        // a second replica finds no node left.
        Node(1).DockerChecked(["service", "create", "--name", "hostweb2", "--publish", "mode=host,published=8080,target=8080", .. Quick, "bb:latest", .. WhoAmI]);
        string second = Assert.Single(TaskContainers(1, "hostweb2")).Id;
        Assert.True(Poll.Until(() => Talk(outsider, Address(1)) == second, Within), "node1:8080 does not answer with hostweb2's task");
        Node(1).DockerChecked("service", "scale", "--detach", "hostweb2=2");
        Assert.True(Poll.Until(() => Node(1).DockerChecked("service", "ps", "hostweb2", "--format", "{{.CurrentState}}|{{.Error}}").Output
            .Contains("Pending", StringComparison.Ordinal), Within), Node(1).DockerChecked("service", "ps", "--no-trunc", "hostweb2").Output);
        string pending = Node(1).DockerChecked("service", "ps", "--no-trunc", "hostweb2", "--format", "{{.Error}}").Output;
        Assert.Contains("no suitable node", pending, StringComparison.Ordinal);
        Assert.Contains("host-mode port already in use on 3 nodes", pending, StringComparison.Ordinal);
        Assert.Single(Enumerable.Range(1, 3).SelectMany(node => TaskContainers(node, "hostweb2")));

        // The same port through the routing mesh (ingress, the default mode): Docker's refusal, and nothing made.
        Node(1).DockerChecked(["service", "create", "--name", "plain", .. Quick, "bb:latest", "sleep", "3600"]);
        string services = ServiceList();
        string plainVersion = Node(1).DockerChecked("service", "inspect", "-f", "{{.Version.Index}}", "plain").Output.Trim();
        var refused = Node(1).Docker(["service", "create", "--name", "meshweb", "--publish", "published=8080,target=8080", .. Quick, "bb:latest", .. WhoAmI]);
        Assert.False(refused.Succeeded);
        Assert.Matches(@"port '8080' is already in use by service 'hostweb2?' \([0-9a-z]{25}\) as a host-published port", refused.Error);
        var updateRefused = Node(1).Docker("service", "update", "--publish-add", "published=8080,target=8080", "plain");
        Assert.False(updateRefused.Succeeded);
        Assert.Contains("as a host-published port", updateRefused.Error, StringComparison.Ordinal);
        Assert.Equal(services, ServiceList());
        Assert.Equal(plainVersion, Node(1).DockerChecked("service", "inspect", "-f", "{{.Version.Index}}", "plain").Output.Trim());
        Assert.Equal("null", Node(1).DockerChecked("service", "inspect", "-f", "{{json .Endpoint.Ports}}", "plain").Output.Trim());
        Assert.All(Enumerable.Range(1, 3), node => Assert.Empty(TaskContainers(node, "meshweb", all: true)));

        // The other way round: a port the mesh holds (a service with no task) is refused for host mode, new or updated.
        Node(1).DockerChecked(["service", "create", "--name", "meshed", "--replicas", "0", "--publish", "published=9090,target=8080", .. Quick, "bb:latest", .. WhoAmI]);
        services = ServiceList();
        var hostRefused = Node(1).Docker(["service", "create", "--name", "host9090", "--publish", "mode=host,published=9090,target=8080", .. Quick, "bb:latest", .. WhoAmI]);
        Assert.Matches(@"port '9090' is already in use by service 'meshed' \([0-9a-z]{25}\) as an ingress port", hostRefused.Error);
        Assert.Contains("as an ingress port", Node(1).Docker("service", "update", "--publish-add", "mode=host,published=9090,target=8080", "hostweb").Error, StringComparison.Ordinal);
        Assert.Equal(services, ServiceList());
        Assert.All(Enumerable.Range(1, 3), node => Assert.Empty(TaskContainers(node, "host9090", all: true)));

        // Removed: the port is given back on every node.
        Node(1).DockerChecked("service", "rm", "hostweb", "hostweb2");
        Assert.True(Poll.Until(() => Enumerable.Range(1, 3).All(node => Talk(outsider, Address(node)) is null), Within), "a removed service's host port still answers");
    }

    /// <summary>What a TCP connection from a lab host to <paramref name="address"/>:8080 was answered (null: none).</summary>
    private static string? Talk(LabHost host, string address)
    {
        var result = host.Exec("busybox", "nc", "-w", "2", address, "8080");
        return result.Succeeded && result.Output.Trim() is { Length: > 0 } answer ? answer : null;
    }
}
