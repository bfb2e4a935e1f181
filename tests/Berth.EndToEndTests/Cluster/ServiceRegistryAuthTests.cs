using System.Text;
using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// A service whose image is only in a private registry on the nodes' LAN (plain HTTP, <c>--insecure-registry</c>, a
/// password): each node pulls it in the task's preparing state. Without <c>--with-registry-auth</c> the tasks are
/// rejected with the registry's refusal; with it the CLI pins the digest and every node — the worker through the
/// manager, which alone opens the sealed credentials — pulls and runs it. The credentials are never shown and never
/// rest in clear on a node's disk or in etcd; resending them replaces no task; <c>berth stack deploy
/// --with-registry-auth</c> and docker's do the same from a stack file.
/// </summary>
public sealed class ServiceRegistryAuthTests : ClusterTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(45);

    private const string RegistryIp = "10.88.0.200";
    private const string Registry = RegistryIp + ":5000";
    private const string User = "deployer";
    private const string Password = "pr1vate-Regi5try-e2e";

    [RootFact]
    public async Task A_private_registry_image_runs_on_every_node_with_registry_auth_and_is_rejected_in_words_without()
    {
        StartNodes(2, _ => ["--insecure-registry", Registry]);
        var (workerToken, _) = InitSwarm();
        Node(2).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        WaitNodesReady(Within);
        var registryHost = AddLanHost("registry", RegistryIp);
        using var registry = await LabRegistry.StartAsync(registryHost, BusyboxImage.BuildTar(TestRoot), Path.Combine(TestRoot, "registry"), listen: Registry, login: (User, Password));
        var manager = Node(1);
        manager.ClientConfig = Path.Combine(TestRoot, "docker-config");
        manager.DockerChecked("login", "-u", User, "-p", Password, Registry);
        string image = Registry + "/bb:latest";
        Assert.Contains(Registry, manager.DockerChecked("info", "-f", "{{json .RegistryConfig.IndexConfigs}}").Output, StringComparison.Ordinal);

        // Without --with-registry-auth the CLI cannot pin a digest, and every node's pull is refused.
        var anonymous = manager.DockerChecked("service", "create", "--detach", "--mode", "global", "--name", "anon", image, "sleep", "600");
        Assert.Contains("could not be accessed on a registry to record", anonymous.Error, StringComparison.Ordinal);
        // (Every lab node has the machine's hostname: tasks are told apart by their node ids.)
        string[] nodeIds = [NodeId(1), NodeId(2)];
        string rejected = "";
        Assert.True(Poll.Until(() =>
        {
            string[] tasks = manager.DockerChecked("service", "ps", "-q", "--no-trunc", "anon").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            rejected = tasks.Length == 0 ? "" : manager.DockerChecked(["inspect", "--format", "{{.NodeID}}|{{.Status.State}}|{{.Status.Err}}", .. tasks]).Output;
            var lines = rejected.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return nodeIds.All(node => lines.Any(l => l.StartsWith(node + "|rejected|", StringComparison.Ordinal)
                && l.Contains("No such image: " + image, StringComparison.Ordinal) && l.Contains("no basic auth credentials", StringComparison.Ordinal)));
        }, Within), rejected);
        manager.DockerChecked("service", "rm", "anon");

        // With it: the digest pinned, and both nodes pull (the worker is handed the credentials by the manager).
        manager.DockerChecked("service", "create", "--detach", "--with-registry-auth", "--mode", "global", "--name", "web", image, "sleep", "600");
        Assert.Equal(image + "@" + registry.ManifestDigest,
            manager.DockerChecked("service", "inspect", "-f", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", "web").Output.Trim());
        Assert.True(Poll.Until(() => Nodes.All(n => TaskContainer(n, "web").Length > 0), Within),
            "web does not run on each node:\n" + manager.Docker("service", "ps", "--no-trunc", "web").Output);
        foreach (var node in Nodes)
        {
            Assert.Contains(registry.ManifestDigest, node.DockerChecked("images", "--digests").Output, StringComparison.Ordinal);
        }

        AssertCredentialsNeverInClear(manager.DockerChecked("service", "inspect", "web").Output);

        // Sending the same credentials again changes what tasks pull with, not what they run: no task is replaced.
        string tasks = TaskIds("web");
        manager.DockerChecked("service", "update", "--detach", "--with-registry-auth", "web");
        Thread.Sleep(TimeSpan.FromSeconds(3));
        Assert.Equal(tasks, TaskIds("web"));
        manager.DockerChecked("service", "rm", "web");
        RemoveImageEverywhere("web", registry.ManifestDigest);

        // berth stack deploy --with-registry-auth: the same, from a stack file through Berth's own CLI.
        string stackFile = Path.Combine(TestRoot, "stack.yml");
        File.WriteAllText(stackFile, $"""
            version: "3.9"
            services:
              app:
                image: {image}
                command: ["sleep", "600"]
                deploy:
                  mode: global
            """);
        var deploy = manager.BerthCli("stack", "deploy", "--with-registry-auth", "-c", stackFile, "st");
        Assert.True(deploy.Succeeded, deploy.ToString());
        Assert.True(Poll.Until(() => Nodes.All(n => TaskContainer(n, "st_app").Length > 0), Within),
            "st_app does not run on each node:\n" + manager.Docker("service", "ps", "--no-trunc", "st_app").Output);

        Assert.True(manager.BerthCli("stack", "rm", "st").Succeeded);
        RemoveImageEverywhere("st_app", registry.ManifestDigest);

        // docker's own stack deploy --with-registry-auth: pulled on both nodes again; a redeploy of the same file sends
        // the credentials again and replaces no task.
        manager.DockerChecked("stack", "deploy", "--with-registry-auth", "-c", stackFile, "dst");
        Assert.True(Poll.Until(() => Nodes.All(n => TaskContainer(n, "dst_app").Length > 0), Within),
            "dst_app does not run on each node:\n" + manager.Docker("service", "ps", "--no-trunc", "dst_app").Output);
        string stackTasks = TaskIds("dst_app");
        manager.DockerChecked("stack", "deploy", "--with-registry-auth", "-c", stackFile, "dst");
        Thread.Sleep(TimeSpan.FromSeconds(3));
        Assert.Equal(stackTasks, TaskIds("dst_app"));
        manager.DockerChecked("stack", "rm", "dst");
        RemoveImageEverywhere("dst_app", registry.ManifestDigest);
    }

    /// <summary>Once the service's containers are gone from every node, its image goes too, so the next deploy must pull it again.</summary>
    private void RemoveImageEverywhere(string service, string digest)
    {
        foreach (var node in Nodes)
        {
            Assert.True(Poll.Until(() => TaskContainer(node, service).Length == 0 && node.Docker("image", "prune", "-af").Succeeded
                && !node.DockerChecked("images", "--digests").Output.Contains(digest, StringComparison.Ordinal), Within),
                node.Docker("images", "--digests").Output);
        }
    }

    private void AssertCredentialsNeverInClear(string inspected)
    {
        string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        Assert.DoesNotContain(Password, inspected, StringComparison.Ordinal);
        Assert.DoesNotContain("RegistryAuth", inspected, StringComparison.Ordinal);

        // In etcd: sealed (AES-GCM), not the client's base64 JSON.
        var values = Etcdctl(1, 1, "get", "--prefix", "/berth/swarm/services/", "--print-value-only");
        Assert.True(values.Succeeded, values.ToString());
        string sealedAuth = values.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("Spec"))
            .Where(spec => spec.GetProperty("Name").GetString() == "web")
            .Select(spec => spec.GetProperty("Task").GetProperty("Container").GetProperty("SealedRegistryAuth").GetString()!)
            .Single();
        string opened = Encoding.UTF8.GetString(Convert.FromBase64String(sealedAuth));
        Assert.DoesNotContain(User, opened, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, values.Output, StringComparison.Ordinal);

        // On disk: neither the password nor the config file's user:password, anywhere under a node's directories.
        foreach (var node in Nodes)
        {
            foreach (string needle in new[] { Password, basic })
            {
                var found = Cmd.Run("grep", "-rlF", "-D", "skip", "--exclude-dir=netns", "--binary-files=text", "-e", needle, node.Root, node.ExecRoot);
                Assert.True(found.ExitCode == 1, $"{needle} found under {node.Root}: {found}");
            }
        }
    }

    private string TaskIds(string service) =>
        Node(1).DockerChecked("service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running", service).Output;

    private static string TaskContainer(Berthd node, string service) =>
        node.DockerChecked("ps", "-q", "--filter", $"label=com.docker.swarm.service.name={service}").Output.Trim();
}
