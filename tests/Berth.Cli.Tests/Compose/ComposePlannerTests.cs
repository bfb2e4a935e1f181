using System.Collections.Immutable;
using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Compose.Model;
using Berth.Compose.Planning;
using Berth.Core.Errors;

namespace Berth.Cli.Tests.Compose;

public sealed class ComposePlannerTests
{
    [Fact]
    public void GuideProjectBecomesDockerComposesRequests()
    {
        var plan = ComposePlanner.Plan(GuideProjects.FrontBack(), new Dictionary<string, string> { ["nginx:alpine"] = "sha256:aa" });

        Assert.Equal(["db", "api", "fe"], plan.Services.Select(s => s.Name));
        Assert.Equal(["app_backnet", "app_frontnet"], plan.Networks.Select(n => n.Name));
        var front = plan.Networks.Single(n => n.Key == "frontnet").Create!;
        Assert.Equal("app_frontnet", front.Name);
        Assert.Null(front.Driver);
        Assert.True(front.Attachable);
        Assert.Equal(
            new Dictionary<string, string> { [ComposeLabels.Network] = "frontnet", [ComposeLabels.Project] = "app", [ComposeLabels.Version] = "1.29.2" },
            front.Labels);

        var fe = plan.Service("fe");
        var request = fe.CreateRequest(1);
        Assert.Equal("app_fe_1", fe.ContainerName(1));
        Assert.Equal("nginx:alpine", request.Image);
        Assert.Equal("app_frontnet", request.HostConfig!.NetworkMode);
        var binding = Assert.Single(request.HostConfig.PortBindings!["80/tcp"]!);
        Assert.Equal(("", "8080"), (binding.HostIp, binding.HostPort));
        Assert.Equal(["80/tcp"], request.ExposedPorts!.Keys);
        Assert.Equal("no", request.HostConfig.RestartPolicy!.Name);
        var endpoint = Assert.Single(request.NetworkingConfig!.EndpointsConfig!);
        Assert.Equal("app_frontnet", endpoint.Key);
        Assert.Equal(["fe"], endpoint.Value!.Aliases);
        Assert.Equal(
            new Dictionary<string, string>
            {
                [ComposeLabels.ConfigHash] = fe.ConfigHash,
                [ComposeLabels.ContainerNumber] = "1",
                [ComposeLabels.OneOff] = "False",
                [ComposeLabels.Project] = "app",
                [ComposeLabels.WorkingDir] = "/srv/app",
                [ComposeLabels.ConfigFiles] = "/srv/app/docker-compose.yml",
                [ComposeLabels.Service] = "fe",
                [ComposeLabels.Version] = "1.29.2",
            },
            request.Labels);

        // The second network is connected before start, the short id first among the aliases (docker-compose's check).
        var connect = Assert.Single(fe.Connects);
        Assert.Equal("app_backnet", connect.Network);
        var body = connect.ToRequest("0123456789abcdef0123", "fe", oneOff: false);
        Assert.Equal("0123456789abcdef0123", body.Container);
        Assert.Equal(["0123456789ab", "web", "fe"], body.EndpointConfig!.Aliases);
        Assert.Null(connect.ToRequest("0123456789abcdef0123", "fe", oneOff: true).EndpointConfig!.Aliases);
    }

    [Fact]
    public void HealthcheckAndRestartAreInDockersUnits()
    {
        var project = GuideProjects.FrontBack().With(GuideProjects.FrontBack().Services["db"] with { Restart = "on-failure:3", StopGracePeriod = TimeSpan.FromMilliseconds(1500) });
        var db = ComposePlanner.Plan(project).Service("db");
        var request = db.CreateRequest(1);
        Assert.Equal(["CMD-SHELL", "pg_isready -U postgres || exit 1"], request.Healthcheck!.Test);
        Assert.Equal(5_000_000_000, request.Healthcheck.Interval);
        Assert.Equal(12, request.Healthcheck.Retries);
        Assert.Equal(("on-failure", 3), (request.HostConfig!.RestartPolicy!.Name, request.HostConfig.RestartPolicy.MaximumRetryCount));
        Assert.Equal(2, db.StopTimeoutSeconds);

        var disabled = ComposePlanner.Plan(project.With(project.Services["db"] with { Healthcheck = new ComposeHealthcheck { Disable = true } })).Service("db");
        Assert.Equal(["NONE"], disabled.CreateRequest(1).Healthcheck!.Test);
    }

    [Fact]
    public void ConfigHashChangesWithWhatMakesTheContainerOnly()
    {
        var project = GuideProjects.FrontBack();
        string Hash(ComposeProject p, string imageId = "sha256:1") =>
            ComposePlanner.Plan(p, new Dictionary<string, string> { ["postgres:15"] = imageId }).Service("db").ConfigHash;

        var original = Hash(project);
        Assert.Equal(original, Hash(GuideProjects.FrontBack()));
        Assert.Equal(64, original.Length);
        Assert.Equal(original, Hash(project.With(project.Services["db"] with { Scale = 3 })));
        Assert.Equal(original, Hash(project.With(project.Services["fe"] with { Image = "nginx:1" })));
        Assert.NotEqual(original, Hash(project, "sha256:2"));
        Assert.NotEqual(original, Hash(project.With(project.Services["db"] with { Environment = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("A", "1")]) })));
        Assert.NotEqual(original, Hash(project.With(project.Services["db"] with { Command = ["sleep", "5"] })));
        Assert.NotEqual(original, Hash(project.With(project.Services["db"] with { Networks = [new ServiceNetwork("backnet") { Aliases = ["pg"] }] })));

        // Number, one-off and the hash itself are per container: never hashed.
        var db = ComposePlanner.Plan(project).Service("db");
        Assert.Equal(db.ConfigHash, db.CreateRequest(2).Labels![ComposeLabels.ConfigHash]);
        Assert.Equal("2", db.CreateRequest(2).Labels![ComposeLabels.ContainerNumber]);
    }

    [Fact]
    public void OneOffHasNoNumberNoAliases()
    {
        var request = ComposePlanner.Plan(GuideProjects.FrontBack()).Service("fe").CreateRequest(0, oneOff: true);
        Assert.Equal("True", request.Labels![ComposeLabels.OneOff]);
        Assert.False(request.Labels.ContainsKey(ComposeLabels.ContainerNumber));
        Assert.Null(request.NetworkingConfig!.EndpointsConfig!["app_frontnet"]!.Aliases);
        Assert.Matches("^app_fe_run_[0-9a-f]{12}$", ComposeNames.OneOff("app", "fe"));
    }

    [Fact]
    public void ExternalNetworksAreNeverCreated()
    {
        var project = new ComposeProject
        {
            Name = "cam",
            WorkingDirectory = "/srv/cam",
            Services = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("cam", new ComposeService
            {
                Name = "cam",
                Image = "nginx:alpine",
                Networks = [new ServiceNetwork("macvlan_lan") { Ipv4Address = "192.168.1.60" }],
            })]),
            Networks = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("macvlan_lan", new ComposeNetwork { Key = "macvlan_lan", Name = "macvlan_lan", External = true })]),
        };
        var plan = ComposePlanner.Plan(project);
        var network = Assert.Single(plan.Networks);
        Assert.True(network.External);
        Assert.Null(network.Create);
        Assert.Empty(network.Differences(new Network { Name = "macvlan_lan", Driver = "macvlan", Options = new() { ["parent"] = "eth0" } }));
        var endpoint = plan.Service("cam").CreateRequest(1).NetworkingConfig!.EndpointsConfig!["macvlan_lan"]!;
        Assert.Equal("192.168.1.60", endpoint.IPAMConfig!.IPv4Address);
    }

    [Fact]
    public void NetworkWithOptionsAndIpamIsSentAndComparedAsDockerComposeDoes()
    {
        var isolated = new ComposeNetwork
        {
            Key = "isolated",
            Name = "p_isolated",
            Driver = "bridge",
            DriverOpts = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("com.docker.network.bridge.enable_icc", "false")]),
            Ipam = new ComposeIpam { Driver = "default", Config = [new ComposeIpamPool { Subnet = "172.30.0.0/16", Gateway = "172.30.0.1" }] },
        };
        var project = GuideProjects.FrontBack("p") with { Networks = GuideProjects.FrontBack("p").Networks.Add("isolated", isolated) };
        project = project.With(project.Services["db"] with { Networks = [new ServiceNetwork("isolated")] });
        var network = ComposePlanner.Plan(project).Networks.Single(n => n.Key == "isolated");
        var json = JsonSerializer.Serialize(network.Create!.Ipam!, DockerJsonContext.Default.Ipam);
        Assert.Equal("""{"Driver":"default","Options":null,"Config":[{"Subnet":"172.30.0.0/16","Gateway":"172.30.0.1"}]}""", json);
        Assert.Equal("false", network.Create.Options!["com.docker.network.bridge.enable_icc"]);

        var same = new Network { Driver = "bridge", Options = new() { ["com.docker.network.bridge.enable_icc"] = "false" } };
        Assert.Empty(network.Differences(same));
        var other = new Network { Driver = "macvlan", Options = [], Internal = true };
        Assert.Equal(
            ["driver is \"macvlan\", the file says \"bridge\"", "option \"com.docker.network.bridge.enable_icc\" is unset, the file says \"false\"", "internal is true, the file says false"],
            network.Differences(other).ToArray());
    }

    [Fact]
    public void NetworkModeServiceJoinsTheOtherContainersNamespace()
    {
        var project = GuideProjects.FrontBack().With(new ComposeService { Name = "sidecar", Image = "bb:latest", NetworkMode = "service:db" });
        var plan = ComposePlanner.Plan(project);
        Assert.True(plan.Services.Select(s => s.Name).ToList().IndexOf("db") < plan.Services.Select(s => s.Name).ToList().IndexOf("sidecar"));
        var sidecar = plan.Service("sidecar");
        Assert.Equal("db", sidecar.NetworkModeService);
        Assert.Empty(sidecar.NetworkNames);
        Assert.Throws<ArgumentException>(() => sidecar.CreateRequest(1));
        var request = sidecar.CreateRequest(1, networkModeContainer: "abc123");
        Assert.Equal("container:abc123", request.HostConfig!.NetworkMode);
        Assert.Null(request.NetworkingConfig);

        var host = ComposePlanner.Plan(project.With(new ComposeService { Name = "sidecar", Image = "bb:latest", NetworkMode = "host" })).Service("sidecar").CreateRequest(1);
        Assert.Equal("host", host.HostConfig!.NetworkMode);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnceBeforeAnythingIsPlanned()
    {
        var project = GuideProjects.FrontBack()
            .With(GuideProjects.FrontBack().Services["api"] with { Image = null })
            .With(new ComposeService { Name = "a", Image = "x", DependsOn = [new ServiceDependency("b")] })
            .With(new ComposeService { Name = "b", Image = "x", DependsOn = [new ServiceDependency("a")], Volumes = [new ServiceVolume("volume", "dbdata", "/var/lib/db")] })
            .With(new ComposeService { Name = "c", Image = "x", Networks = [new ServiceNetwork("nowhere")], ContainerName = "c", Scale = 2, Restart = "sometimes", DependsOn = [new ServiceDependency("ghost")] });

        var problems = ComposePlanner.Problems(project);
        Assert.Contains("service \"api\" has neither image: nor build:; give it an image", problems);
        Assert.Contains("service \"b\" mounts undefined volume \"dbdata\" at /var/lib/db; define it under the top-level volumes:", problems);
        Assert.Contains("service \"c\" uses undefined network \"nowhere\"", problems);
        Assert.Contains("service \"c\" depends on undefined service \"ghost\"", problems);
        Assert.Contains("service \"c\" has container_name \"c\" and scale 2: container names are unique; drop container_name or scale to 1", problems);
        Assert.Contains("service \"c\": restart: \"sometimes\" is not one of no, always, on-failure[:N], unless-stopped", problems);
        Assert.Contains("services \"a\", \"b\" depend on each other in a cycle (depends_on, network_mode: service:); break the cycle", problems);
        Assert.Contains("service \"a\" has no networks: and the project has no \"default\" network", problems);
        Assert.True(problems.Length == 9, string.Join("\n", problems));

        var error = Assert.Throws<BerthException>(() => ComposePlanner.Plan(project));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(string.Join('\n', problems), error.Message);
    }

    [Fact]
    public void NamedVolumesAreCreatedWithComposeLabelsAndMountedByName()
    {
        var project = GuideProjects.FrontBack() with
        {
            Volumes = new SortedDictionary<string, ComposeVolume>(StringComparer.Ordinal)
            {
                ["dbdata"] = new() { Key = "dbdata", Name = "app_dbdata", Labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("tier", "db")]) },
                ["shared"] = new() { Key = "shared", Name = "team-shared", Driver = "local" },
                ["outside"] = new() { Key = "outside", Name = "prod_data", External = true },
            }.ToImmutableSortedDictionary(StringComparer.Ordinal),
        };
        project = project.With(project.Services["db"] with
        {
            Volumes =
            [
                new ServiceVolume("volume", "dbdata", "/var/lib/db"),
                new ServiceVolume("volume", "outside", "/seed", ReadOnly: true),
                new ServiceVolume("volume", "", "/scratch"),
                new ServiceVolume("bind", "/srv/app/conf", "/etc/db", ReadOnly: true),
            ],
        });

        var plan = ComposePlanner.Plan(project);
        Assert.Equal(["dbdata", "outside", "shared"], plan.Volumes.Select(v => v.Key));
        var dbdata = plan.Volumes.Single(v => v.Key == "dbdata").Create!;
        Assert.Equal("app_dbdata", dbdata.Name);
        Assert.Null(dbdata.Driver);
        Assert.Equal(
            new Dictionary<string, string> { ["tier"] = "db", [ComposeLabels.Project] = "app", [ComposeLabels.Volume] = "dbdata", [ComposeLabels.Version] = "1.29.2" },
            dbdata.Labels);
        Assert.Equal(("team-shared", "local"), (plan.Volumes.Single(v => v.Key == "shared").Create!.Name, plan.Volumes.Single(v => v.Key == "shared").Create!.Driver));
        var outside = plan.Volumes.Single(v => v.Key == "outside");
        Assert.True(outside.External);
        Assert.Null(outside.Create);
        Assert.Equal(outside, Assert.Single(ComposePlanner.Volumes(project), v => v.External));

        var request = plan.Service("db").CreateRequest(1);
        Assert.Equal(["app_dbdata:/var/lib/db", "prod_data:/seed:ro", "/srv/app/conf:/etc/db:ro"], request.HostConfig!.Binds);
        Assert.Equal(["/scratch"], request.Volumes!.Keys);
        Assert.Null(plan.Service("fe").CreateRequest(1).Volumes);
        Assert.Null(plan.Service("fe").CreateRequest(1).HostConfig!.Binds);

        // The hash follows the volumes: another volume name, target or mode makes another container; the same file the same hash.
        Assert.Equal(plan.Service("db").ConfigHash, ComposePlanner.Plan(project).Service("db").ConfigHash);
        var renamed = project with { Volumes = project.Volumes.SetItem("dbdata", project.Volumes["dbdata"] with { Name = "other" }) };
        var moved = project.With(project.Services["db"] with { Volumes = [new ServiceVolume("volume", "dbdata", "/data")] });
        var readOnly = project.With(project.Services["db"] with { Volumes = [.. project.Services["db"].Volumes.Select(v => v with { ReadOnly = true })] });
        string[] hashes = [plan.Service("db").ConfigHash, .. new[] { renamed, moved, readOnly }.Select(p => ComposePlanner.Plan(p).Service("db").ConfigHash)];
        Assert.Equal(4, hashes.Distinct().Count());
    }

    [Fact]
    public void ContainerFilterIsDockerComposesListForm()
    {
        Assert.Equal("""{"label":["com.docker.compose.project=app","com.docker.compose.oneoff=False"]}""", ProjectPlan.ContainerFilter("app", oneOff: false));
        Assert.Equal("""{"label":["com.docker.compose.project=app"]}""", ProjectPlan.ContainerFilter("app", oneOff: null));
        Assert.Equal("""{"label":["com.docker.compose.project=app","com.docker.compose.oneoff=True","com.docker.compose.service=db"]}""", ProjectPlan.ContainerFilter("app", true, "db"));
    }

    [Theory]
    [InlineData(null, "no", 0)]
    [InlineData("always", "always", 0)]
    [InlineData("unless-stopped", "unless-stopped", 0)]
    [InlineData("on-failure", "on-failure", 0)]
    [InlineData("on-failure:5", "on-failure", 5)]
    public void RestartPolicies(string? restart, string name, int retries) =>
        Assert.Equal(new RestartPolicyValue(name, retries), RestartPolicyValue.Parse(restart));

    [Theory]
    [InlineData("on-failure:x")]
    [InlineData("sometimes")]
    public void BadRestartPolicies(string restart) => Assert.Null(RestartPolicyValue.Parse(restart));
}
