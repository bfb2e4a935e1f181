using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Api.Services;
using Berth.Cluster.Services;
using Berth.Core.Errors;

namespace Berth.Api.Tests.Services;

/// <summary>
/// Docker's service spec ↔ the model: a full spec (every field the model keeps, shaped as moby writes it back)
/// goes in and comes out unchanged; Docker's defaults fill what the model cannot leave unset; bad input is a 400
/// naming each bad field.
/// </summary>
public sealed class ServiceContractMapperTests
{
    private const string FullSpec = """
        {
          "Name": "web",
          "Labels": {"com.docker.stack.namespace": "app", "tier": "front"},
          "TaskTemplate": {
            "ContainerSpec": {
              "Image": "nginx:1.27@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a",
              "Labels": {"a": "b"},
              "Command": ["nginx"],
              "Args": ["-g", "daemon off;"],
              "Hostname": "web-{{.Task.Slot}}",
              "Env": ["A=1", "B=2"],
              "Dir": "/srv",
              "User": "www-data",
              "Groups": ["adm", "staff"],
              "Init": true,
              "StopSignal": "SIGQUIT",
              "TTY": true,
              "OpenStdin": true,
              "ReadOnly": true,
              "Mounts": [
                {"Type": "volume", "Source": "data", "Target": "/data"},
                {"Type": "bind", "Source": "/etc/hostname", "Target": "/h", "ReadOnly": true},
                {"Type": "tmpfs", "Target": "/tmp"}
              ],
              "StopGracePeriod": 20000000000,
              "Healthcheck": {"Test": ["CMD", "curl", "-f", "http://localhost/"], "Interval": 30000000000, "Timeout": 5000000000, "StartPeriod": 1000000000, "StartInterval": 2000000000, "Retries": 3},
              "Hosts": ["10.0.0.9 db"],
              "DNSConfig": {"Nameservers": ["1.1.1.1"], "Search": ["example.com"], "Options": ["ndots:2"]},
              "Isolation": "default",
              "Sysctls": {"net.core.somaxconn": "1024"},
              "CapabilityAdd": ["CAP_NET_ADMIN"],
              "CapabilityDrop": ["CAP_MKNOD"],
              "Secrets": [{"File": {"Name": "pw", "UID": "0", "GID": "0", "Mode": 292}, "SecretID": "3c8jd0v1p9wq5m2n7b4x6z1k0", "SecretName": "pw"}],
              "Configs": [{"File": {"Name": "/etc/app.conf", "UID": "1000", "GID": "1000", "Mode": 420}, "ConfigID": "8s2kd0v1p9wq5m2n7b4x6z1k0", "ConfigName": "app.conf"}]
            },
            "Resources": {"Limits": {"NanoCPUs": 500000000, "MemoryBytes": 104857600, "Pids": 100}, "Reservations": {"NanoCPUs": 250000000, "MemoryBytes": 52428800}},
            "RestartPolicy": {"Condition": "on-failure", "Delay": 3000000000, "MaxAttempts": 4, "Window": 60000000000},
            "Placement": {
              "Constraints": ["node.role==worker", "node.labels.zone!=east"],
              "Preferences": [{"Spread": {"SpreadDescriptor": "node.labels.zone"}}],
              "MaxReplicas": 2,
              "Platforms": [{"Architecture": "amd64", "OS": "linux"}, {"Architecture": "arm64", "OS": "linux"}]
            },
            "Networks": [{"Target": "5r8dx2e3qvw3h7xq1d9a3k2lm", "Aliases": ["www"], "DriverOpts": {"k": "v"}}],
            "LogDriver": {"Name": "json-file", "Options": {"max-size": "10m"}},
            "ForceUpdate": 3,
            "Runtime": "container"
          },
          "Mode": {"Replicated": {"Replicas": 3}},
          "UpdateConfig": {"Parallelism": 2, "Delay": 10000000000, "FailureAction": "rollback", "Monitor": 15000000000, "MaxFailureRatio": 0.25, "Order": "start-first"},
          "RollbackConfig": {"Parallelism": 0, "FailureAction": "continue", "Monitor": 5000000000, "MaxFailureRatio": 0, "Order": "stop-first"},
          "EndpointSpec": {
            "Mode": "vip",
            "Ports": [
              {"Name": "http", "Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"},
              {"Protocol": "udp", "TargetPort": 53, "PublishMode": "host"},
              {"Protocol": "sctp", "TargetPort": 9, "PublishedPort": 30009, "PublishMode": "ingress"}
            ]
          }
        }
        """;

    /// <summary>The smallest valid spec, with the CLI's always-sent parts as moby shows them.</summary>
    private const string MinimalShown = """
        {"Name":"web","Labels":{},"TaskTemplate":{"ContainerSpec":{"Image":"nginx","DNSConfig":{},"Isolation":"default"},
         "Resources":{"Limits":{},"Reservations":{}},"Placement":{},"ForceUpdate":0,"Runtime":"container"},
         "Mode":{"Replicated":{"Replicas":1}},"EndpointSpec":{"Mode":"vip"}}
        """;

    [Fact]
    public void AFullSpecComesBackUnchanged()
    {
        ServiceSpec model = Read(FullSpec);
        Assert.Equal(("web", 3UL, TimeSpan.FromSeconds(20)), (model.Name, model.Mode.Replicas, model.Task.Container.StopGracePeriod));
        Assert.Equal(["linux/amd64", "linux/arm64"], model.Task.Placement.Platforms.ToArray());
        Assert.Equal(new ServicePort(PortProtocol.Udp, 53, 0, PublishMode.Host), model.Endpoint.Ports[1]);
        Assert.Equal(RestartCondition.OnFailure, model.Task.Restart!.Condition);
        AssertJsonEqual(FullSpec, Write(model));
    }

    [Theory]
    [InlineData("""{"Global":{}}""")]
    [InlineData("""{"GlobalJob":{}}""")]
    [InlineData("""{"ReplicatedJob":{"MaxConcurrent":4,"TotalCompletions":4}}""")]
    [InlineData("""{"Replicated":{"Replicas":0}}""")]
    public void EveryModeComesBackUnchanged(string mode)
    {
        string spec = MinimalShown.Replace("""{"Replicated":{"Replicas":1}}""", mode, StringComparison.Ordinal);
        AssertJsonEqual(spec, Write(Read(spec)));
    }

    /// <summary>What <c>stack deploy</c> and API clients leave out: Docker's defaults, shown back filled in.</summary>
    [Fact]
    public void DockerDefaultsFillWhatTheRequestLeavesOut()
    {
        ServiceSpec model = Read("""
            {"Name":"app_web","TaskTemplate":{"ContainerSpec":{"Image":"nginx"},"RestartPolicy":{}},"Mode":{"Replicated":{}},
             "UpdateConfig":{"Parallelism":1},"EndpointSpec":{"Ports":[{"TargetPort":80,"PublishedPort":8080}]}}
            """);
        Assert.Equal(ServiceMode.Replicated(1), model.Mode);
        Assert.Equal(new ServicePort(PortProtocol.Tcp, 80, 8080, PublishMode.Ingress), Assert.Single(model.Endpoint.Ports));
        Assert.Equal(EndpointMode.Vip, model.Endpoint.Mode);
        Assert.Equal(RestartCondition.Any, model.Task.Restart!.Condition);
        Assert.Equal(UpdatePolicy.Default, model.Update);
        Assert.Equal(ServiceMode.Replicated(1), Read("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"nginx"}}}""").Mode);
        Assert.Equal(new ServiceMode(ServiceModeKind.ReplicatedJob, 1), Read("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"nginx"}},"Mode":{"ReplicatedJob":{}}}""").Mode);

        JsonNode written = JsonNode.Parse(Write(model))!;
        Assert.Equal(1, (int)written["Mode"]!["Replicated"]!["Replicas"]!);
        Assert.Equal("""{"Condition":"any","MaxAttempts":0}""", written["TaskTemplate"]!["RestartPolicy"]!.ToJsonString());
        Assert.Equal("""{"Mode":"vip","Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"}]}""", written["EndpointSpec"]!.ToJsonString());
    }

    [Fact]
    public void InsertDefaultsShowsSwarmkitsDefaults()
    {
        ServiceSpec model = Read("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"nginx"}}}""");
        AssertJsonEqual("""
            {"Name":"w","Labels":{},"TaskTemplate":{"ContainerSpec":{"Image":"nginx","StopGracePeriod":10000000000,"DNSConfig":{},"Isolation":"default"},
             "Resources":{"Limits":{},"Reservations":{}},"RestartPolicy":{"Condition":"any","Delay":5000000000,"MaxAttempts":0},"Placement":{},"ForceUpdate":0,"Runtime":"container"},
             "Mode":{"Replicated":{"Replicas":1}},
             "UpdateConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,"Order":"stop-first"},
             "RollbackConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,"Order":"stop-first"},
             "EndpointSpec":{"Mode":"vip"}}
            """, Serialize(ServiceContractMapper.ToContract(model, insertDefaults: true)));
        AssertJsonEqual(MinimalShown.Replace("\"Name\":\"web\"", "\"Name\":\"w\"", StringComparison.Ordinal), Write(model));
    }

    [Theory]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{}}}""", "ContainerSpec: image reference must be provided")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":""}}}""", "ContainerSpec: image reference must be provided")]
    [InlineData("""{"Name":"w","TaskTemplate":{}}""", "TaskTemplate.ContainerSpec is missing: a service runs a container; give at least its Image")]
    [InlineData("""{"Name":"w"}""", "TaskTemplate.ContainerSpec is missing")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"},"Runtime":"plugin"}}""", "TaskTemplate.Runtime \"plugin\" is not supported")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"Mode":{"Replicatd":{"Replicas":2}}}""", "Mode: unknown service mode \"Replicatd\": give one of Replicated, Global, ReplicatedJob, GlobalJob")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"Mode":{"Global":{"Replicas":3}}}""", "Mode.Global takes no options (got \"Replicas\"); replicas are for Mode.Replicated")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"Mode":{"Global":{},"Replicated":{"Replicas":3}}}""", "Mode: must specify only one service mode")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"Mode":{"ReplicatedJob":{"MaxConcurrent":2,"TotalCompletions":5}}}""", "Mode.ReplicatedJob.MaxConcurrent (2) other than TotalCompletions (5) is not supported")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x","StopGracePeriod":-1}}}""", "TaskTemplate.ContainerSpec.StopGracePeriod cannot be negative (-1 ns)")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x","Healthcheck":{"Interval":-5}}}}""", "TaskTemplate.ContainerSpec.Healthcheck.Interval cannot be negative (-5 ns)")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x","Healthcheck":{"Retries":-1}}}}""", "TaskTemplate.ContainerSpec.Healthcheck.Retries cannot be negative (-1)")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"},"RestartPolicy":{"Delay":-1000}}}""", "TaskTemplate.RestartPolicy.Delay cannot be negative (-1000 ns)")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"},"RestartPolicy":{"Window":-1}}}""", "TaskTemplate.RestartPolicy.Window cannot be negative")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"UpdateConfig":{"Delay":-1}}""", "UpdateConfig.Delay cannot be negative (-1 ns)")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"RollbackConfig":{"Monitor":-1}}""", "RollbackConfig.Monitor cannot be negative (-1 ns)")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"},"RestartPolicy":{"Condition":"sometimes"}}}""", "TaskTemplate.RestartPolicy.Condition \"sometimes\" is not one of none, on-failure, any")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"UpdateConfig":{"FailureAction":"panic"}}""", "UpdateConfig.FailureAction \"panic\" is not one of pause, continue, rollback")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"RollbackConfig":{"Order":"random"}}""", "RollbackConfig.Order \"random\" is not one of stop-first, start-first")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"EndpointSpec":{"Mode":"round-robin"}}""", "EndpointSpec.Mode \"round-robin\" is not one of vip, dnsrr")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"EndpointSpec":{"Ports":[{"Protocol":"icmp","TargetPort":80}]}}""", "EndpointSpec.Ports[0].Protocol \"icmp\" is not one of tcp, udp, sctp")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"EndpointSpec":{"Ports":[{"TargetPort":80},{"TargetPort":81,"PublishMode":"node"}]}}""", "EndpointSpec.Ports[1].PublishMode \"node\" is not one of ingress, host")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"EndpointSpec":{"Ports":[{"TargetPort":70000}]}}""", "EndpointSpec.Ports[0].TargetPort 70000 is out of range: give 1-65535")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"}},"EndpointSpec":{"Ports":[{"TargetPort":80,"PublishedPort":65536}]}}""", "EndpointSpec.Ports[0].PublishedPort 65536 is out of range")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x","Mounts":[{"Type":"npipe","Target":"/p"}]}}}""", "TaskTemplate.ContainerSpec.Mounts[0].Type \"npipe\" is not one of bind, volume, tmpfs")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x","Mounts":[{"Type":"bind","Source":"/a"}]}}}""", "TaskTemplate.ContainerSpec.Mounts[0].Target is missing")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x","Isolation":"hyperv"}}}""", "TaskTemplate.ContainerSpec.Isolation \"hyperv\" is not supported")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"},"Networks":[{"Aliases":["a"]}]}}""", "TaskTemplate.Networks[0].Target is missing")]
    [InlineData("""{"Name":"w","TaskTemplate":{"ContainerSpec":{"Image":"x"},"Resources":{"Reservations":{"GenericResources":[{"DiscreteResourceSpec":{"Kind":"gpu","Value":1}}]}}}}""", "TaskTemplate.Resources.Reservations.GenericResources is not supported")]
    public void BadInputIsRefusedNamingTheField(string json, string message)
    {
        var error = Assert.Throws<BerthException>(() => Read(json));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var error = Assert.Throws<BerthException>(() => Read("""
            {"Name":"w","TaskTemplate":{"ContainerSpec":{"StopGracePeriod":-1}},"Mode":{"Global":{"Replicas":2}},"EndpointSpec":{"Mode":"x"}}
            """));
        Assert.Equal(
            "ContainerSpec: image reference must be provided; TaskTemplate.ContainerSpec.StopGracePeriod cannot be negative (-1 ns); "
            + "Mode.Global takes no options (got \"Replicas\"); replicas are for Mode.Replicated; EndpointSpec.Mode \"x\" is not one of vip, dnsrr",
            error.Message);
    }

    private static ServiceSpec Read(string json) =>
        ServiceContractMapper.ToModel(JsonSerializer.Deserialize(json, DockerJson.Context.ServiceSpecContract)!);

    private static string Write(ServiceSpec spec) => Serialize(ServiceContractMapper.ToContract(spec));

    private static string Serialize(ServiceSpecContract spec) => JsonSerializer.Serialize(spec, DockerJson.Context.ServiceSpecContract);

    private static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {JsonNode.Parse(expected)!.ToJsonString()}\nactual   {actual}");
}
