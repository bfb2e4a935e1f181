using System.Text;
using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Commands.Stack;
using Berth.Compose.Loading;

namespace Berth.Cli.Tests.Stack;

/// <summary>
/// The guide's two stack files converted into the requests docker's CLI sends for them. The expected bodies were written by
/// reading docker/cli v28 (<c>cli/compose/convert</c>: <c>Networks</c>, <c>Service</c>; <c>cli/command/stack/swarm/deploy_composefile.go</c>)
/// and moby's API types, as Go marshals them — not by running this code.
/// </summary>
public sealed class StackConverterTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("berth-stack-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private StackPlan Convert(string yaml, string stack)
    {
        File.WriteAllText(Path.Combine(directory, "stack.yml"), yaml);
        var project = ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = ["stack.yml"], ProjectName = stack, Stack = true, CurrentDirectory = directory, Environment = _ => null,
        });
        return StackConverter.Convert(stack, project);
    }

    private static string NetworkBody(StackPlan plan, string name) => JsonSerializer.Serialize(plan.Networks[name], CliJsonContext.Default.NetworkCreateClientRequest);

    private static string ServiceBody(StackPlan plan, string service) => Encoding.UTF8.GetString(StackApi.ServiceBody(plan.Services[service].Spec, [], []));

    /// <summary><c>sysctls:</c> reach the task's container spec as docker's stack deploy sends them.</summary>
    [Fact]
    public void SysctlsGoToTheContainerSpec()
    {
        var plan = Convert("""
            version: "3.9"
            services:
              web:
                image: bb:latest
                sysctls:
                  - net.core.somaxconn=1024
            """, "st");

        using var body = JsonDocument.Parse(ServiceBody(plan, "web"));
        var sysctls = body.RootElement.GetProperty("TaskTemplate").GetProperty("ContainerSpec").GetProperty("Sysctls");
        Assert.Equal("""{"net.core.somaxconn":"1024"}""", sysctls.GetRawText());
    }

    [Fact]
    public void StackOvlBecomesOneAttachableOverlayAndThreeServices()
    {
        var plan = Convert(GuideStacks.StackOvl, "appstack");

        Assert.Equal(["appstack_appnet"], plan.Networks.Keys);
        Assert.True(plan.ExternalNetworks.IsEmpty);
        Assert.True(plan.Secrets.IsEmpty);
        GoJsonComparison.Equal("""
            {"Name":"appstack_appnet","Driver":"overlay","Scope":"","EnableIPv4":null,"EnableIPv6":null,"IPAM":null,"Internal":false,
             "Attachable":true,"Ingress":false,"ConfigOnly":false,"ConfigFrom":null,"Options":null,
             "Labels":{"com.docker.stack.namespace":"appstack"}}
            """, NetworkBody(plan, "appstack_appnet"));
        Assert.Equal(["api", "db", "fe"], plan.Services.Keys);
        GoJsonComparison.Equal("""
            {"Name":"appstack_db","Labels":{"com.docker.stack.image":"postgres:15","com.docker.stack.namespace":"appstack"},
             "TaskTemplate":{
               "ContainerSpec":{"Image":"postgres:15","Labels":{"com.docker.stack.namespace":"appstack"},
                                "Privileges":{"CredentialSpec":null,"SELinuxContext":null},"Isolation":""},
               "Resources":{},"RestartPolicy":{"Condition":"on-failure"},"Placement":{},
               "Networks":[{"Target":"appstack_appnet","Aliases":["db"]}],"ForceUpdate":0},
             "Mode":{"Replicated":{"Replicas":1}},"EndpointSpec":{"Mode":""}}
            """, ServiceBody(plan, "db"));
        GoJsonComparison.Equal("""
            {"Name":"appstack_api","Labels":{"com.docker.stack.image":"myorg/api:1.0","com.docker.stack.namespace":"appstack"},
             "TaskTemplate":{
               "ContainerSpec":{"Image":"myorg/api:1.0","Labels":{"com.docker.stack.namespace":"appstack"},
                                "Privileges":{"CredentialSpec":null,"SELinuxContext":null}},
               "Resources":{},"RestartPolicy":{"Condition":"on-failure"},"Placement":{},
               "Networks":[{"Target":"appstack_appnet","Aliases":["api"]}],"ForceUpdate":0},
             "Mode":{"Replicated":{"Replicas":3}},"EndpointSpec":{"Mode":""}}
            """, ServiceBody(plan, "api"));
        GoJsonComparison.Equal("""
            {"Name":"appstack_fe","Labels":{"com.docker.stack.image":"nginx:alpine","com.docker.stack.namespace":"appstack"},
             "TaskTemplate":{
               "ContainerSpec":{"Image":"nginx:alpine","Labels":{"com.docker.stack.namespace":"appstack"},
                                "Privileges":{"CredentialSpec":null,"SELinuxContext":null}},
               "Resources":{},"Placement":{},
               "Networks":[{"Target":"appstack_appnet","Aliases":["fe"]}],"ForceUpdate":0},
             "Mode":{"Replicated":{"Replicas":2}},
             "EndpointSpec":{"Mode":"","Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"}]}}
            """, ServiceBody(plan, "fe"));
    }

    [Fact]
    public void StackOverlayPlacesTheDatabaseOnAManagerAndIgnoresDependsOn()
    {
        var plan = Convert(GuideStacks.StackOverlay, "dist");

        Assert.Equal(["dist_app_network"], plan.Networks.Keys);
        GoJsonComparison.Equal("""
            {"Name":"dist_app_network","Driver":"overlay","Attachable":true,"Labels":{"com.docker.stack.namespace":"dist"}}
            """, NetworkBody(plan, "dist_app_network"));
        GoJsonComparison.Equal("""
            {"Name":"dist_database","Labels":{"com.docker.stack.image":"postgres:15","com.docker.stack.namespace":"dist"},
             "TaskTemplate":{
               "ContainerSpec":{"Image":"postgres:15","Labels":{"com.docker.stack.namespace":"dist"},"Privileges":{"CredentialSpec":null,"SELinuxContext":null}},
               "Resources":{},"Placement":{"Constraints":["node.role == manager"]},
               "Networks":[{"Target":"dist_app_network","Aliases":["database"]}],"ForceUpdate":0},
             "Mode":{"Replicated":{"Replicas":1}},"EndpointSpec":{"Mode":""}}
            """, ServiceBody(plan, "database"));
        GoJsonComparison.Equal("""
            {"Name":"dist_application","Labels":{"com.docker.stack.image":"myapp:latest","com.docker.stack.namespace":"dist"},
             "TaskTemplate":{
               "ContainerSpec":{"Image":"myapp:latest","Labels":{"com.docker.stack.namespace":"dist"},"Privileges":{"CredentialSpec":null,"SELinuxContext":null}},
               "Resources":{},"Placement":{},
               "Networks":[{"Target":"dist_app_network","Aliases":["application"]}],"ForceUpdate":0},
             "Mode":{"Replicated":{"Replicas":3}},"EndpointSpec":{"Mode":""}}
            """, ServiceBody(plan, "application"));
        GoJsonComparison.Equal("""
            {"Name":"dist_loadbalancer","Labels":{"com.docker.stack.image":"nginx:alpine","com.docker.stack.namespace":"dist"},
             "TaskTemplate":{
               "ContainerSpec":{"Image":"nginx:alpine","Labels":{"com.docker.stack.namespace":"dist"},"Privileges":{"CredentialSpec":null,"SELinuxContext":null}},
               "Resources":{},"Placement":{},
               "Networks":[{"Target":"dist_app_network","Aliases":["loadbalancer"]}],"ForceUpdate":0},
             "Mode":{"Replicated":{"Replicas":2}},
             "EndpointSpec":{"Mode":"","Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":80,"PublishMode":"ingress"}]}}
            """, ServiceBody(plan, "loadbalancer"));
    }

    [Fact]
    public void EveryDeployKeyAndTheRestOfAServiceAsDockerConvertsThem()
    {
        File.WriteAllText(Path.Combine(directory, "site.conf"), "listen 80;");
        var plan = Convert("""
            services:
              web:
                image: nginx:alpine
                entrypoint: ["/docker-entrypoint.sh"]
                command: nginx -g "daemon off;"
                hostname: web1
                environment: {B: "2", A: "1"}
                labels: [role=web]
                dns: [10.0.0.2]
                extra_hosts: ["db.local:10.0.0.9"]
                stop_grace_period: 1m30s
                healthcheck: {test: wget -q localhost, interval: 10s, retries: 3}
                restart: always
                volumes: [data:/data, /srv/www:/www:ro, /tmp]
                networks:
                  front: {aliases: [www]}
                  outside:
                ports:
                  - {target: 443, published: 8443, mode: host}
                  - "8080:80/udp"
                configs: [site]
                deploy:
                  mode: replicated
                  replicas: 2
                  endpoint_mode: DNSRR
                  labels: {tier: front}
                  placement: {constraints: [node.role == worker], preferences: [{spread: node.labels.zone}], max_replicas_per_node: 1}
                  update_config: {parallelism: 2, delay: 10s, order: start-first, failure_action: rollback, monitor: 5s, max_failure_ratio: 0.5}
                  rollback_config: {order: stop-first}
                  resources: {limits: {cpus: "0.5", memory: 64M, pids: 50}, reservations: {memory: 16M}}
              worker:
                image: busybox
                restart: on-failure:4
                deploy: {mode: global}
            networks:
              front: {driver_opts: {encrypted: ""}, ipam: {config: [{subnet: 10.5.0.0/24, gateway: 10.5.0.1}]}, labels: [team=web]}
              outside: {external: true, name: shared}
            volumes:
              data: {driver: local, labels: {keep: "yes"}}
            configs:
              site: {file: ./site.conf}
            """, "st");

        Assert.Equal(["shared"], plan.ExternalNetworks.ToList());
        Assert.Equal(["st_default", "st_front"], plan.Networks.Keys);
        GoJsonComparison.Equal("""
            {"Name":"st_front","Driver":"overlay","Options":{"encrypted":""},"IPAM":{"Driver":"","Config":[{"Subnet":"10.5.0.0/24"}]},
             "Labels":{"com.docker.stack.namespace":"st","team":"web"}}
            """, NetworkBody(plan, "st_front"));
        var config = Assert.Single(plan.Configs);
        Assert.Equal(("st_site", "listen 80;", "st"), (config.Name, Encoding.UTF8.GetString(config.Data), config.Labels["com.docker.stack.namespace"]));
        Assert.Equal([new StackFileReference("st_site", "site", "0", "0", 0x124)], plan.Services["web"].Configs.ToList());
        GoJsonComparison.Equal("""
            {"Name":"st_web","Labels":{"com.docker.stack.image":"nginx:alpine","com.docker.stack.namespace":"st","tier":"front"},
             "TaskTemplate":{
               "ContainerSpec":{"Image":"nginx:alpine","Labels":{"com.docker.stack.namespace":"st","role":"web"},
                 "Command":["/docker-entrypoint.sh"],"Args":["nginx","-g","daemon off;"],"Hostname":"web1","Env":["A=1","B=2"],
                 "Mounts":[{"Type":"volume","Source":"st_data","Target":"/data",
                            "VolumeOptions":{"Labels":{"com.docker.stack.namespace":"st","keep":"yes"},"DriverConfig":{"Name":"local"}}},
                           {"Type":"bind","Source":"/srv/www","Target":"/www","ReadOnly":true},
                           {"Type":"volume","Target":"/tmp"}],
                 "StopGracePeriod":90000000000,
                 "Healthcheck":{"Test":["CMD-SHELL","wget -q localhost"],"Interval":10000000000,"Retries":3},
                 "Hosts":["10.0.0.9 db.local"],"DNSConfig":{"Nameservers":["10.0.0.2"]}},
               "Resources":{"Limits":{"NanoCPUs":500000000,"MemoryBytes":67108864,"Pids":50},"Reservations":{"MemoryBytes":16777216}},
               "RestartPolicy":{"Condition":"any"},
               "Placement":{"Constraints":["node.role == worker"],"Preferences":[{"Spread":{"SpreadDescriptor":"node.labels.zone"}}],"MaxReplicas":1},
               "Networks":[{"Target":"shared","Aliases":["web"]},{"Target":"st_front","Aliases":["www","web"]}],"ForceUpdate":0},
             "Mode":{"Replicated":{"Replicas":2}},
             "UpdateConfig":{"Parallelism":2,"Delay":10000000000,"FailureAction":"rollback","Monitor":5000000000,"MaxFailureRatio":0.5,"Order":"start-first"},
             "RollbackConfig":{"Parallelism":1,"Delay":0,"Monitor":0,"MaxFailureRatio":0,"Order":"stop-first"},
             "EndpointSpec":{"Mode":"dnsrr","Ports":[
               {"Protocol":"udp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"},
               {"Protocol":"tcp","TargetPort":443,"PublishedPort":8443,"PublishMode":"host"}]}}
            """, ServiceBody(plan, "web"));
        GoJsonComparison.Equal("""
            {"Name":"st_worker","Labels":{"com.docker.stack.image":"busybox","com.docker.stack.namespace":"st"},
             "TaskTemplate":{"ContainerSpec":{"Image":"busybox","Labels":{"com.docker.stack.namespace":"st"}},
               "Resources":{},"RestartPolicy":{"Condition":"on-failure","MaxAttempts":4},"Placement":{},
               "Networks":[{"Target":"st_default","Aliases":["worker"]}]},
             "Mode":{"Global":{}},"EndpointSpec":{"Mode":""}}
            """, ServiceBody(plan, "worker"));
    }

    [Fact]
    public void SecretReferencesGoIntoTheContainerSpecWithTheirIds()
    {
        var plan = Convert("services: {web: {image: nginx}}", "s");
        var body = Encoding.UTF8.GetString(StackApi.ServiceBody(plan.Services["web"].Spec,
            [new System.Text.Json.Nodes.JsonObject { ["File"] = new System.Text.Json.Nodes.JsonObject { ["Name"] = "token", ["UID"] = "0", ["GID"] = "0", ["Mode"] = 292 }, ["SecretID"] = "abc", ["SecretName"] = "s_token" }],
            []));

        Assert.Contains("""
            "Secrets":[{"File":{"Name":"token","UID":"0","GID":"0","Mode":292},"SecretID":"abc","SecretName":"s_token"}]
            """.Trim(), body, StringComparison.Ordinal);
    }
}
