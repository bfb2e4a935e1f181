using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Compose.Tests;

/// <summary>
/// A file loaded as a stack (<see cref="ComposeLoadOptions.Stack"/>): <c>deploy:</c> read in full, port modes, secrets and
/// configs, docker's lists of keys a swarm ignores and refuses — and the same file loaded as a compose project as before.
/// </summary>
public sealed class StackLoadingTests : IDisposable
{
    private const string FullDeploy = """
        services:
          web:
            image: nginx:alpine
            deploy:
              mode: replicated
              replicas: 4
              endpoint_mode: dnsrr
              labels: [tier=front, owner=ops]
              placement:
                constraints: [node.role == worker, node.labels.zone != b]
                preferences:
                  - spread: node.labels.zone
                max_replicas_per_node: 2
              restart_policy:
                condition: on-failure
                delay: 5s
                max_attempts: 3
                window: 1m
              update_config:
                parallelism: 2
                delay: 10s
                failure_action: rollback
                monitor: 30s
                max_failure_ratio: 0.25
                order: start-first
              rollback_config:
                order: stop-first
              resources:
                limits: {cpus: "0.5", memory: 512M, pids: 100}
                reservations: {cpus: "0.25", memory: 128m}
            ports:
              - target: 80
                published: 8080
                mode: host
        """;

    private readonly ComposeDirectory directory = new("stackdir");

    public void Dispose() => directory.Dispose();

    private ComposeProject LoadStack(string yaml, string name = "app")
    {
        directory.Write("stack.yml", yaml);
        return directory.Load(new ComposeLoadOptions { Files = ["stack.yml"], ProjectName = name, Stack = true });
    }

    [Fact]
    public void DeployIsReadInFull()
    {
        var deploy = LoadStack(FullDeploy).Services["web"].Deploy!;

        Assert.Equal("replicated", deploy.Mode);
        Assert.Equal(4UL, deploy.Replicas);
        Assert.Equal("dnsrr", deploy.EndpointMode);
        Assert.Equal("front", deploy.Labels["tier"]);
        Expect.Sequence(["node.role == worker", "node.labels.zone != b"], deploy.Placement.Constraints);
        Expect.Sequence(["node.labels.zone"], deploy.Placement.Preferences);
        Assert.Equal(2UL, deploy.Placement.MaxReplicasPerNode);
        Assert.Equal(new ComposeRestartPolicy("on-failure") { Delay = TimeSpan.FromSeconds(5), MaxAttempts = 3, Window = TimeSpan.FromMinutes(1) }, deploy.RestartPolicy);
        Assert.Equal(new ComposeUpdateConfig
        {
            Parallelism = 2, Delay = TimeSpan.FromSeconds(10), FailureAction = "rollback", Monitor = TimeSpan.FromSeconds(30), MaxFailureRatio = 0.25, Order = "start-first",
        }, deploy.UpdateConfig);
        Assert.Equal(new ComposeUpdateConfig { Order = "stop-first" }, deploy.RollbackConfig);
        Assert.Equal(new ComposeResourceAmounts { NanoCpus = 500_000_000, MemoryBytes = 512L << 20, Pids = 100 }, deploy.Resources.Limits);
        Assert.Equal(new ComposeResourceAmounts { NanoCpus = 250_000_000, MemoryBytes = 128L << 20 }, deploy.Resources.Reservations);
        Assert.Equal(new ComposePort(80, "8080", Mode: "host"), LoadStack(FullDeploy).Services["web"].Ports.Single());
        Assert.Empty(directory.Warnings);
    }

    [Fact]
    public void AsAComposeProjectTheSameFileWarnsAsBefore()
    {
        directory.Write("compose.yaml", FullDeploy);
        var service = directory.Load().Services["web"];

        Assert.Equal(4, service.Scale);
        Assert.Equal("on-failure:3", service.Restart);
        Assert.Equal(new ComposePort(80, "8080"), service.Ports.Single());
        Expect.Sequence(
        [
            "services.web.deploy.endpoint_mode", "services.web.deploy.labels", "services.web.deploy.mode", "services.web.deploy.placement",
            "services.web.deploy.resources", "services.web.deploy.restart_policy.delay", "services.web.deploy.restart_policy.window",
            "services.web.deploy.rollback_config", "services.web.deploy.update_config", "services.web.ports[0].mode",
        ], directory.Warnings.Select(w => w.Path).Order(StringComparer.Ordinal));
        Assert.All(directory.Warnings, w => Assert.Equal("not supported by berth compose yet; ignored", w.Message));
    }

    [Fact]
    public void KeysASwarmCannotUseAreListedAsDockerListsThem()
    {
        var project = LoadStack("""
            services:
              web:
                image: nginx
                build: .
                restart: always
                container_name: web
                expose: ["80"]
                links: [db]
                privileged: true
                depends_on: [db]
              db:
                image: postgres
                network_mode: host
            """);

        Expect.Sequence(["build", "links", "network_mode", "privileged", "restart"], project.UnsupportedStackOptions);
        Expect.Sequence(["container_name", "expose"], project.DeprecatedStackOptions.Keys);
        Assert.Equal("Setting the container name is not supported.", project.DeprecatedStackOptions["container_name"]);
        Assert.Empty(directory.Warnings);
    }

    [Fact]
    public void ForbiddenKeysAndBadDeployValuesAreProblemsWithTheirPlace()
    {
        directory.Write("stack.yml", """
            services:
              web:
                build: .
                volumes_from: [db]
                mem_limit: 1g
                deploy:
                  mode: everywhere
                  resources:
                    limits: {cpus: lots, memory: 12Q}
                  update_config:
                    order: sideways
                  placement:
                    preferences: [{spread: node.labels.zone}, {pack: x}]
                secrets: [nosuch]
            """);

        var e = Assert.Throws<ComposeFileException>(() => directory.Load(new ComposeLoadOptions { Files = ["stack.yml"], ProjectName = "app", Stack = true }));

        Assert.Equal(
        [
            "stack.yml:3:5: services.web: has no image:; a stack runs images only (build: is ignored), give it one",
            "stack.yml:4:5: services.web.volumes_from: not supported in a stack: To share a volume between services, define it using the top-level `volumes` option and reference it from each service that shares it using the service-level `volumes` option.",
            "stack.yml:5:5: services.web.mem_limit: not supported in a stack: Set resource limits using deploy.resources",
            "stack.yml:7:13: services.web.deploy.mode: \"everywhere\" is not a mode; use replicated, global, replicated-job, global-job",
            "stack.yml:9:24: services.web.deploy.resources.limits.cpus: \"lots\" is not a number of CPUs (such as 0.5 or 2)",
            "stack.yml:9:38: services.web.deploy.resources.limits.memory: \"12Q\" is not an amount of memory (such as 512M or 1G)",
            "stack.yml:11:16: services.web.deploy.update_config.order: \"sideways\" is not allowed; use stop-first or start-first",
            "stack.yml:13:51: services.web.deploy.placement.preferences[1]: needs spread: (a node label, such as node.labels.zone)",
            "stack.yml:13:52: services.web.deploy.placement.preferences[1]: unknown key \"pack\"; a placement preference takes spread",
            "stack.yml:14:15: services.web.secrets[0]: undefined secret \"nosuch\"; define it under the top-level secrets:",
        ], e.Message.Split('\n'));
    }

    [Fact]
    public void SecretsAndConfigsWithTheirReferences()
    {
        directory.Write("token.txt", "s3cret");
        var project = LoadStack("""
            services:
              web:
                image: nginx
                secrets:
                  - token
                  - source: cert
                    target: server.crt
                    uid: "33"
                    mode: 0440
                configs: [site]
            secrets:
              token: {file: ./token.txt, labels: [kind=api]}
              cert: {external: true, name: shared_cert}
            configs:
              site: {file: token.txt}
            """);

        Assert.Equal(Path.Combine(directory.ProjectPath, "token.txt"), project.Secrets["token"].File);
        Assert.Equal("api", project.Secrets["token"].Labels["kind"]);
        Assert.Equal(new ComposeFileObject { Key = "cert", Name = "shared_cert", External = true }, project.Secrets["cert"] with { Labels = project.Secrets["cert"].Labels });
        Expect.Sequence([new ServiceFileReference("token"), new ServiceFileReference("cert") { Target = "server.crt", Uid = "33", Mode = 288 }], project.Services["web"].Secrets);
        Expect.Sequence([new ServiceFileReference("site")], project.Services["web"].Configs);
    }

    [Fact]
    public void TheStackNameNamesTheDefaultNetworkAsGiven()
    {
        var project = LoadStack("services: {web: {image: nginx}}", name: "My_Stack");

        Assert.Equal("My_Stack_default", project.Networks["default"].Name);
        Assert.Null(project.Networks["default"].Driver);
    }
}
