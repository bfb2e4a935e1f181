using System.Collections.Immutable;
using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Compose.Tests;

/// <summary>Every compose file of the guide (TestData/guide, copied verbatim) loads to the model it describes.</summary>
public sealed class GuideFilesTests : IDisposable
{
    private readonly ComposeDirectory directory = new("guide");

    public void Dispose() => directory.Dispose();

    private ComposeProject LoadGuide(string file)
    {
        directory.Write(file, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "guide", file)));
        return directory.Load(file);
    }

    [Fact]
    public void MacvlanCameraJoinsTheExternalNetworkAtItsFixedAddress()
    {
        var project = LoadGuide("macvlan-cam.yml");

        Assert.Equal("guide", project.Name);
        var cam = Assert.Single(project.Services).Value;
        Assert.Equal("cam", cam.Name);
        Assert.Equal("nginx:alpine", cam.Image);
        var attachment = Assert.Single(cam.Networks);
        Assert.Equal(new ServiceNetwork("macvlan_lan") { Ipv4Address = "192.168.1.60" }, attachment);
        var network = Assert.Single(project.Networks).Value;
        Assert.Equal(new ComposeNetwork { Key = "macvlan_lan", Name = "macvlan_lan", External = true }, network);
    }

    [Fact]
    public void StackFileLoadsReplicasAndTheOverlayNetwork()
    {
        var project = LoadGuide("stack-ovl.yml");

        Expect.Sequence(["api", "db", "fe"], project.Services.Keys);
        Assert.Equal(1, project.Services["db"].Scale);
        Assert.Equal(3, project.Services["api"].Scale);
        Assert.Equal(2, project.Services["fe"].Scale);
        Assert.Equal("myorg/api:1.0", project.Services["api"].Image);
        // deploy.restart_policy {condition: on-failure} becomes the container's restart policy, as Compose does.
        Assert.Equal("on-failure", project.Services["db"].Restart);
        Assert.Null(project.Services["fe"].Restart);
        Expect.Sequence([new ComposePort(80, "8080")], project.Services["fe"].Ports);
        Assert.All(project.Services.Values, s => Expect.Sequence([new ServiceNetwork("appnet")], s.Networks));
        var appnet = Assert.Single(project.Networks).Value;
        Assert.Equal(new ComposeNetwork { Key = "appnet", Name = "guide_appnet", Driver = "overlay", Attachable = true }, appnet);
    }

    [Fact]
    public void MultiNetworkFileSeparatesFrontAndBack()
    {
        var project = LoadGuide("multi-network.yml");

        var fe = project.Services["fe"];
        Assert.Equal("nginx:alpine", fe.Image);
        Expect.Sequence([new ComposePort(80, "8080")], fe.Ports);
        Expect.Sequence([new ServiceNetwork("backnet"), new ServiceNetwork("frontnet")], fe.Networks);

        var api = project.Services["api"];
        Assert.Equal(Path.Combine(directory.ProjectPath, "api"), api.Build!.Context);
        Assert.Equal("guide_api", api.Image);
        Expect.Sequence([new ServiceNetwork("backnet")], api.Networks);

        var db = project.Services["db"];
        Assert.Equal("postgres:15", db.Image);
        Expect.Sequence(["CMD-SHELL", "pg_isready -U postgres || exit 1"], db.Healthcheck!.Test);
        Assert.Equal(TimeSpan.FromSeconds(5), db.Healthcheck.Interval);
        Assert.Equal(12, db.Healthcheck.Retries);
        Assert.Null(db.Healthcheck.Timeout);

        Expect.Sequence(["backnet", "frontnet"], project.Networks.Keys);
        Assert.Equal("guide_frontnet", project.Networks["frontnet"].Name);
        Assert.Equal("guide_backnet", project.Networks["backnet"].Name);
        Assert.False(project.Networks.ContainsKey("default"));
    }

    [Fact]
    public void ExternalNetworkFragmentLoadsWithoutServices()
    {
        var project = LoadGuide("external-network.yml");

        Assert.Empty(project.Services);
        Assert.Equal(new ComposeNetwork { Key = "corp_lan", Name = "corp_lan", External = true }, Assert.Single(project.Networks).Value);
    }

    [Fact]
    public void IsolatedNetworkKeepsDriverOptionsAndIpam()
    {
        var project = LoadGuide("isolated-network.yml");

        var isolated = project.Networks["isolated"];
        Assert.Equal("guide_isolated", isolated.Name);
        Assert.Equal("bridge", isolated.Driver);
        Assert.Equal("false", isolated.DriverOpts["com.docker.network.bridge.enable_icc"]);
        Assert.Equal("default", isolated.Ipam!.Driver);
        var pool = Assert.Single(isolated.Ipam.Config);
        Assert.Equal("172.30.0.0/16", pool.Subnet);
        Assert.Equal("172.30.0.1", pool.Gateway);
    }

    [Fact]
    public void MacvlanDeviceUsesTheExternalNetworksName()
    {
        var project = LoadGuide("docker-compose-macvlan.yml");

        var device = project.Services["iot-device"];
        Assert.Equal("custom-iot-image:latest", device.Image);
        Expect.Sequence([new ServiceNetwork("lan") { Ipv4Address = "192.168.1.100" }], device.Networks);
        Assert.Equal(new ComposeNetwork { Key = "lan", Name = "macvlan_lan", External = true }, project.Networks["lan"]);
    }

    [Fact]
    public void OverlayStackLoadsDependsOnAndIgnoresPlacement()
    {
        var project = LoadGuide("docker-stack-overlay.yml");

        Expect.Sequence(["application", "database", "loadbalancer"], project.Services.Keys);
        Expect.Sequence([new ServiceDependency("database")], project.Services["application"].DependsOn);
        Assert.Equal(3, project.Services["application"].Scale);
        Expect.Sequence([new ComposePort(80, "80")], project.Services["loadbalancer"].Ports);
        Assert.Equal("guide_app_network", project.Networks["app_network"].Name);
        Assert.Contains(directory.Warnings, w => w.Path == "services.database.deploy.placement");
    }

    [Fact]
    public void ConfigPrintsTheMultiNetworkProjectNormalized()
    {
        var project = LoadGuide("multi-network.yml");
        var output = new StringWriter();

        ComposeConfigWriter.Write(project, output);

        Assert.Equal(
            $$"""
            name: guide
            services:
              api:
                build:
                  context: {{Path.Combine(directory.ProjectPath, "api")}}
                image: guide_api
                networks:
                  backnet: null
              db:
                healthcheck:
                  interval: 5s
                  retries: 12
                  test:
                    - CMD-SHELL
                    - pg_isready -U postgres || exit 1
                image: postgres:15
                networks:
                  backnet: null
              fe:
                image: nginx:alpine
                networks:
                  backnet: null
                  frontnet: null
                ports:
                  - target: 80
                    published: "8080"
                    protocol: tcp
            networks:
              backnet:
                name: guide_backnet
              frontnet:
                name: guide_frontnet

            """, output.ToString());
    }

    [Fact]
    public void ConfigOutputLoadsBackToTheSameModel()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "guide")).Select(Path.GetFileName))
        {
            var project = LoadGuide(file!);
            var output = new StringWriter();
            ComposeConfigWriter.Write(project, output);
            directory.Write("roundtrip.yml", output.ToString());

            var again = directory.Load("roundtrip.yml");

            Assert.Equal(Describe(project), Describe(again));
        }
    }

    /// <summary>The model as text (records with immutable collections compare by reference, so compare what they print).</summary>
    private static string Describe(ComposeProject project)
    {
        var output = new StringWriter();
        ComposeConfigWriter.Write(project with { ConfigFiles = ImmutableArray<string>.Empty }, output);
        return output.ToString();
    }
}
