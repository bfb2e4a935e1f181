namespace Berth.Compose.Tests;

/// <summary>Broken compose files: each problem is reported with its file, line and column and what to do — all of them at once.</summary>
public sealed class BrokenFileTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private string[] Problems(string yaml)
    {
        directory.Write("docker-compose.yml", yaml);
        return directory.Problems();
    }

    [Fact]
    public void UnknownKeyWithASuggestion() => Assert.Equal(
        ["docker-compose.yml:4:5: services.web: unknown key \"netwroks\"; did you mean \"networks\"?"],
        Problems("""
            services:
              web:
                image: nginx
                netwroks: [front]
            """));

    [Fact]
    public void UnknownKeyDeeperDown() => Assert.Equal(
        ["docker-compose.yml:6:7: networks.n.ipam: unknown key \"configs\"; did you mean \"config\"?",
         "docker-compose.yml:8:1: unknown key \"service\"; did you mean \"services\"?"],
        Problems("""
            services:
              web: {image: x}
            networks:
              n:
                ipam:
                  configs: []
            x-fine: 1
            service: {}
            """));

    [Fact]
    public void WrongTypes() => Assert.Equal(
        ["docker-compose.yml:3:12: services.web.image: must be a string, not a list",
         "docker-compose.yml:4:12: services.web.scale: must be a whole number of at least 0, not \"many\"",
         "docker-compose.yml:5:18: services.web.environment: must be a mapping, not \"A=1\"",
         "docker-compose.yml:8:15: networks.n.internal: must be true or false, not \"maybe\""],
        Problems("""
            services:
              web:
                image: [nginx]
                scale: many
                environment: A=1
            networks:
              n:
                internal: maybe
            """));

    [Fact]
    public void UndefinedNetwork() => Assert.Equal(
        ["docker-compose.yml:5:9: services.web.networks: network \"frontnet\" is not defined; define it under the top-level networks: or fix the name"],
        Problems("""
            services:
              web:
                image: nginx
                networks:
                  - frontnet
            networks:
              front: {}
            """));

    [Fact]
    public void UndefinedServicesInDependsOnAndNetworkMode() => Assert.Equal(
        ["docker-compose.yml:4:18: services.web.depends_on: service \"dbb\" is not defined; fix the name or add the service",
         "docker-compose.yml:7:19: services.sidecar.network_mode: service \"webb\" is not defined; fix the name or add the service"],
        Problems("""
            services:
              web:
                image: x
                depends_on: [dbb]
              sidecar:
                image: x
                network_mode: service:webb
              db: {image: x}
            """));

    [Fact]
    public void DependencyCycle() => Assert.Equal(
        ["docker-compose.yml:8:9: services.c.depends_on: dependency cycle: a -> b -> c -> a; remove one of these depends_on entries"],
        Problems("""
            services:
              a: {image: x, depends_on: [b]}
              b:
                image: x
                depends_on: {c: {condition: service_started}}
              c:
                depends_on:
                  - a
                image: x
            """));

    [Fact]
    public void FixedAddressOutsideEverySubnet() => Assert.Equal(
        ["docker-compose.yml:7:23: services.db.networks.back.ipv4_address: 172.31.0.5 is outside every subnet of network \"back\" (172.30.0.0/16, 10.9.0.0/24); pick an address inside one of them"],
        Problems("""
            services:
              db:
                image: postgres
                networks:
                  back:
                    aliases: [database]
                    ipv4_address: 172.31.0.5
            networks:
              back:
                ipam:
                  config:
                    - subnet: 172.30.0.0/16
                    - subnet: 10.9.0.0/24
            """));

    [Fact]
    public void FixedAddressOnANetworkWithoutSubnets() => Assert.Equal(
        ["docker-compose.yml:6:23: services.db.networks.back.ipv4_address: user specified IP address is supported only when connecting to networks with user configured subnets; give network \"back\" an ipam config with an IPv4 subnet, or remove ipv4_address"],
        Problems("""
            services:
              db:
                image: postgres
                networks:
                  back:
                    ipv4_address: 172.30.0.5
            networks:
              back: {}
            """));

    [Fact]
    public void TwoServicesWithOneFixedAddress() => Assert.Equal(
        ["docker-compose.yml:12:23: services.b.networks.lan.ipv4_address: 10.0.0.5 on network \"lan\" is already service \"a\"'s; give each service its own address"],
        Problems("""
            services:
              a:
                image: x
                networks:
                  lan:
                    ipv4_address: 10.0.0.5
              b:
                image: x
                networks:
                  lan:
                    aliases: [bee]
                    ipv4_address: 10.0.0.5
            networks:
              lan:
                ipam: {config: [{subnet: 10.0.0.0/24}]}
            """));

    [Fact]
    public void ServiceWithNeitherImageNorBuild() => Assert.Equal(
        ["docker-compose.yml:3:5: services.worker: has neither image: nor build:; give it an image"],
        Problems("""
            services:
              worker:
                command: ["run"]
              api:
                build: ./api
            """));

    [Fact]
    public void BadPortsAndDurations() => Assert.Equal(
        ["docker-compose.yml:5:9: services.web.ports[0]: bad port \"80:80:80:80\": expected [[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]",
         "docker-compose.yml:6:9: services.web.ports[1]: bad port \"8080:80/icmp\": unknown protocol \"icmp\"; use tcp, udp or sctp",
         "docker-compose.yml:7:9: services.web.ports[2]: bad port \"70000:80\": \"70000\" is not a host port (1-65535) or range (8080-8081)",
         "docker-compose.yml:8:24: services.web.stop_grace_period: \"10 seconds\" is not a duration; write it like 1m30s, 10s or 500ms",
         "docker-compose.yml:10:17: services.web.healthcheck.interval: \"5\" is not a duration; write it like 1m30s, 10s or 500ms"],
        Problems("""
            services:
              web:
                image: nginx
                ports:
                  - "80:80:80:80"
                  - "8080:80/icmp"
                  - "70000:80"
                stop_grace_period: 10 seconds
                healthcheck:
                  interval: 5
            """));

    [Fact]
    public void RequiredVariableUnset() => Assert.Equal(
        ["docker-compose.yml:3:12: services.db.image: required variable DB_IMAGE is missing a value: set DB_IMAGE to the database image, e.g. postgres:15"],
        Problems("""
            services:
              db:
                image: ${DB_IMAGE:?set DB_IMAGE to the database image, e.g. postgres:15}
            """));

    [Fact]
    public void NotYaml() => Assert.Equal(
        ["docker-compose.yml:3:12: not valid YAML: While scanning a quoted scalar, found unexpected end of stream."],
        Problems("""
            services:
              web:
                image: "nginx
            """));

    [Fact]
    public void ExternalNetworkWithSettingsOfItsOwn() => Assert.Equal(
        ["docker-compose.yml:6:5: networks.lan: \"driver\" cannot be set on an external network (it is made elsewhere); remove it, or drop external: to let the project make the network"],
        Problems("""
            services:
              cam: {image: x, networks: [lan]}
            networks:
              lan:
                external: true
                driver: macvlan
            """));

    [Fact]
    public void ManyProblemsAreReportedTogetherAcrossFiles()
    {
        directory.Write("base.yml", """
            services:
              web:
                image: nginx
                networks: [front]
                restart: sometimes
            """);
        directory.Write("override.yml", """
            services:
              web:
                depends_on: [cache]
                volumes:
                  - "relative:data"
            networks:
              front:
                ipam:
                  config:
                    - subnet: 10.0.0.0/33
            """);

        Assert.Equal(
            ["base.yml:5:14: services.web.restart: \"sometimes\" is not a restart policy; use no, always, unless-stopped, on-failure or on-failure:N",
             "override.yml:3:18: services.web.depends_on: service \"cache\" is not defined; fix the name or add the service",
             "override.yml:5:9: services.web.volumes[0]: bad volume \"relative:data\": expected [SOURCE:]TARGET[:MODE] with an absolute TARGET, such as ./data:/data:ro or dbdata:/var/lib/db",
             "override.yml:10:19: networks.front.ipam.config[0].subnet: \"10.0.0.0/33\" is not a subnet in CIDR form (like 172.30.0.0/16)"],
            directory.Problems("base.yml", "override.yml"));
    }
}
