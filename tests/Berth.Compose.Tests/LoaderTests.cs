using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Compose.Tests;

/// <summary>Every field of the model in its short and long forms, files merged with -f, profiles, and the project name.</summary>
public sealed class LoaderTests : IDisposable
{
    private readonly ComposeDirectory directory = new("My App.2");

    public void Dispose() => directory.Dispose();

    private ComposeService LoadService(string yaml, string name = "s")
    {
        directory.Write("compose.yaml", yaml);
        return directory.Load().Services[name];
    }

    [Fact]
    public void PortsInEveryForm()
    {
        var service = LoadService("""
            services:
              s:
                image: x
                ports:
                  - "8080:80"
                  - "127.0.0.1:8081:81/udp"
                  - "8090-8091:90-91"
                  - 3000
                  - "127.0.0.1::5000"
                  - "[::1]:6000:6000"
                  - "7000-7010:7000"
                  - target: 443
                    published: "8443"
                    host_ip: 0.0.0.0
                    protocol: tcp
                    mode: host
                  - target: 53
                    protocol: udp
            """);

        Expect.Sequence(
            [
                new ComposePort(80, "8080"),
                new ComposePort(81, "8081", "127.0.0.1", "udp"),
                new ComposePort(90, "8090"),
                new ComposePort(91, "8091"),
                new ComposePort(3000),
                new ComposePort(5000, null, "127.0.0.1"),
                new ComposePort(6000, "6000", "::1"),
                new ComposePort(7000, "7000-7010"),
                new ComposePort(443, "8443", "0.0.0.0"),
                new ComposePort(53, null, null, "udp"),
            ],
            service.Ports);
    }

    [Fact]
    public void NetworksListAndMapForms()
    {
        directory.Write("compose.yaml", """
            services:
              a:
                image: x
                networks: [front, back]
              b:
                image: x
                networks:
                  front:
                  back:
                    aliases: [db, database]
                    ipv4_address: 10.5.0.10
                    ipv6_address: fd00:5::10
                    priority: 100
                    mac_address: 02:42:ac:11:00:02
              c:
                image: x
            networks:
              front:
              back:
                enable_ipv6: true
                ipam:
                  config:
                    - subnet: 10.5.0.0/24
                    - subnet: fd00:5::/64
            """);

        var project = directory.Load();

        Expect.Sequence([new ServiceNetwork("back"), new ServiceNetwork("front")], project.Services["a"].Networks);
        var b = project.Services["b"].Networks;
        Expect.Sequence(["back", "front"], b.Select(n => n.Network));
        Expect.Sequence(["db", "database"], b[0].Aliases);
        Assert.Equal("10.5.0.10", b[0].Ipv4Address);
        Assert.Equal("fd00:5::10", b[0].Ipv6Address);
        Assert.Equal(100, b[0].Priority);
        Assert.Equal("02:42:ac:11:00:02", b[0].MacAddress);
        // A service without networks: joins the project's default network, which then exists.
        Expect.Sequence([new ServiceNetwork("default")], project.Services["c"].Networks);
        Assert.Equal("myapp2_default", project.Networks["default"].Name);
        Assert.Equal("myapp2_back", project.Networks["back"].Name);
    }

    [Fact]
    public void HigherPriorityNetworkComesFirst()
    {
        var service = LoadService("""
            services:
              s:
                image: x
                networks:
                  a: {}
                  z: {priority: 10}
            networks: {a: {}, z: {}}
            """);

        Expect.Sequence(["z", "a"], service.Networks.Select(n => n.Network));
    }

    [Fact]
    public void NetworkModeForms()
    {
        directory.Write("compose.yaml", """
            services:
              h: {image: x, network_mode: host}
              n: {image: x, network_mode: none}
              s: {image: x, network_mode: "service:h"}
              c: {image: x, network_mode: "container:other"}
            """);

        var project = directory.Load();

        Expect.Sequence(["host", "none", "service:h", "container:other"], new[] { "h", "n", "s", "c" }.Select(s => project.Services[s].NetworkMode));
        Assert.All(project.Services.Values, s => Assert.Empty(s.Networks));
        Assert.Empty(project.Networks);
    }

    [Fact]
    public void DependsOnListAndMapWithConditions()
    {
        directory.Write("compose.yaml", """
            services:
              web:
                image: x
                depends_on: [api]
              api:
                image: x
                depends_on:
                  db:
                    condition: service_healthy
                  migrate:
                    condition: service_completed_successfully
                  cache:
                    condition: service_started
                    restart: true
              db: {image: x, healthcheck: {test: "true"}}
              migrate: {image: x}
              cache: {image: x}
            """);

        var project = directory.Load();

        Expect.Sequence([new ServiceDependency("api")], project.Services["web"].DependsOn);
        Expect.Sequence(
            [
                new ServiceDependency("db", DependencyCondition.Healthy),
                new ServiceDependency("migrate", DependencyCondition.CompletedSuccessfully),
                new ServiceDependency("cache"),
            ],
            project.Services["api"].DependsOn);
    }

    [Fact]
    public void HealthcheckForms()
    {
        directory.Write("compose.yaml", """
            services:
              shell:
                image: x
                healthcheck:
                  test: curl -f http://localhost/ || exit 1
                  interval: 1m30s
                  timeout: 500ms
                  start_period: 1h
                  retries: 3
              exec:
                image: x
                healthcheck:
                  test: ["CMD", "pg_isready", "-U", "postgres"]
              off:
                image: x
                healthcheck:
                  disable: true
            """);

        var project = directory.Load();

        var shell = project.Services["shell"].Healthcheck!;
        Expect.Sequence(["CMD-SHELL", "curl -f http://localhost/ || exit 1"], shell.Test);
        Assert.Equal(TimeSpan.FromSeconds(90), shell.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), shell.Timeout);
        Assert.Equal(TimeSpan.FromHours(1), shell.StartPeriod);
        Assert.Equal(3, shell.Retries);
        Expect.Sequence(["CMD", "pg_isready", "-U", "postgres"], project.Services["exec"].Healthcheck!.Test);
        Assert.True(project.Services["off"].Healthcheck!.Disable);
        Expect.Sequence(["NONE"], project.Services["off"].Healthcheck!.Test);
    }

    [Fact]
    public void EnvironmentMapListAndEnvFiles()
    {
        directory.Environment["FROM_SHELL"] = "shell-value";
        directory.Write("common.env", """
            # comment
            A=from-file
            B='single $NOT_EXPANDED'
            export C="double\nline"
            D=unquoted # trailing comment
            """);
        directory.Write("compose.yaml", """
            services:
              s:
                image: x
                env_file: common.env
                environment:
                  - A=from-environment
                  - FROM_SHELL
                  - NOT_SET_ANYWHERE
                  - EMPTY=
              m:
                image: x
                env_file: [{path: missing.env, required: false}]
                environment:
                  PORT: 8080
                  DEBUG: true
                  FROM_SHELL:
            """);

        var project = directory.Load();

        var s = project.Services["s"].Environment;
        Assert.Equal("from-environment", s["A"]);
        Assert.Equal("single $NOT_EXPANDED", s["B"]);
        Assert.Equal("double\nline", s["C"]);
        Assert.Equal("unquoted", s["D"]);
        Assert.Equal("shell-value", s["FROM_SHELL"]);
        Assert.Equal("", s["EMPTY"]);
        Assert.False(s.ContainsKey("NOT_SET_ANYWHERE"));
        var m = project.Services["m"].Environment;
        Expect.Sequence(["DEBUG", "FROM_SHELL", "PORT"], m.Keys);
        Assert.Equal("8080", m["PORT"]);
        Assert.Equal("true", m["DEBUG"]);
    }

    [Fact]
    public void CommandEntrypointLabelsDnsExtraHostsAndTheRest()
    {
        var service = LoadService("""
            services:
              s:
                image: busybox
                command: sh -c 'echo "hello world" && sleep 1'
                entrypoint: ["/bin/tini", "--"]
                labels:
                  - com.example.role=web
                  - com.example.empty
                dns: 1.1.1.1
                extra_hosts:
                  - "db.local:10.0.0.5"
                  - "v6=::1"
                restart: on-failure:3
                container_name: my-web
                hostname: web1
                stop_grace_period: 1m30s
                expose: ["80", "53/udp", "9000-9001"]
                x-note: extension keys are allowed
            """);

        Expect.Sequence(["sh", "-c", "echo \"hello world\" && sleep 1"], service.Command!.Value);
        Expect.Sequence(["/bin/tini", "--"], service.Entrypoint!.Value);
        Assert.Equal("web", service.Labels["com.example.role"]);
        Assert.Equal("", service.Labels["com.example.empty"]);
        Expect.Sequence(["1.1.1.1"], service.Dns);
        Expect.Sequence(["db.local:10.0.0.5", "v6:::1"], service.ExtraHosts);
        Assert.Equal("on-failure:3", service.Restart);
        Assert.Equal("my-web", service.ContainerName);
        Assert.Equal("web1", service.Hostname);
        Assert.Equal(TimeSpan.FromSeconds(90), service.StopGracePeriod);
        Expect.Sequence(["80", "53/udp", "9000-9001"], service.Expose);
    }

    [Fact]
    public void ExtraHostsMapForm()
    {
        var service = LoadService("""
            services:
              s:
                image: x
                extra_hosts:
                  gw: host-gateway
                  db: 10.0.0.5
            """);

        Expect.Sequence(["db:10.0.0.5", "gw:host-gateway"], service.ExtraHosts.Order());
    }

    [Fact]
    public void SysctlsListAndMapForms()
    {
        var listed = LoadService("""
            services:
              s:
                image: x
                sysctls:
                  - net.core.somaxconn=1024
                  - net.ipv4.tcp_syncookies=0
            """);
        var mapped = LoadService("""
            services:
              s:
                image: x
                sysctls:
                  net.core.somaxconn: 1024
                  net.ipv4.tcp_syncookies: 0
            """);

        Assert.Equal([("net.core.somaxconn", "1024"), ("net.ipv4.tcp_syncookies", "0")], listed.Sysctls.Select(p => (p.Key, p.Value)));
        Assert.Equal(listed.Sysctls, mapped.Sysctls);
    }

    [Fact]
    public void VolumesShortAndLongForms()
    {
        directory.Environment["HOME"] = "/home/u";
        directory.Write("compose.yaml", """
            services:
              s:
                image: x
                volumes:
                  - ./data:/data:ro
                  - /var/log:/host-log
                  - ~/cfg:/cfg
                  - dbdata:/var/lib/db
                  - /anonymous
                  - type: bind
                    source: ./site
                    target: /usr/share/nginx/html
                    read_only: true
                  - type: volume
                    source: dbdata
                    target: /backup
            volumes:
              dbdata:
              shared:
                external: true
              legacy:
                external:
                  name: old-volume
            """);

        var project = directory.Load();

        Expect.Sequence(
            [
                new ServiceVolume("bind", Path.Combine(directory.ProjectPath, "data"), "/data", true),
                new ServiceVolume("bind", "/var/log", "/host-log"),
                new ServiceVolume("bind", "/home/u/cfg", "/cfg"),
                new ServiceVolume("volume", "dbdata", "/var/lib/db"),
                new ServiceVolume("volume", "", "/anonymous"),
                new ServiceVolume("bind", Path.Combine(directory.ProjectPath, "site"), "/usr/share/nginx/html", true),
                new ServiceVolume("volume", "dbdata", "/backup"),
            ],
            project.Services["s"].Volumes);
        Assert.Equal("myapp2_dbdata", project.Volumes["dbdata"].Name);
        Assert.Equal("shared", project.Volumes["shared"].Name);
        Assert.True(project.Volumes["legacy"].External);
        Assert.Equal("old-volume", project.Volumes["legacy"].Name);
    }

    [Fact]
    public void ScaleAndDeployReplicas()
    {
        directory.Write("compose.yaml", """
            services:
              a: {image: x, scale: 3}
              b: {image: x, deploy: {replicas: 2}}
              c: {image: x}
            """);

        var project = directory.Load();

        Expect.Sequence([3, 2, 1], new[] { "a", "b", "c" }.Select(s => project.Services[s].Scale));
    }

    [Fact]
    public void NetworkNamesAndExternalForms()
    {
        directory.Write("compose.yaml", """
            version: "2.4"
            services:
              s:
                image: x
                networks: [plain, named, ext, legacy]
            networks:
              plain:
                internal: true
                labels: [team=net]
              named:
                name: exact-name
              ext:
                external: true
              legacy:
                external:
                  name: old-net
            """);

        var project = directory.Load();

        Assert.Equal("myapp2_plain", project.Networks["plain"].Name);
        Assert.True(project.Networks["plain"].Internal);
        Assert.Equal("net", project.Networks["plain"].Labels["team"]);
        Assert.Equal("exact-name", project.Networks["named"].Name);
        Assert.False(project.Networks["named"].External);
        Assert.Equal("ext", project.Networks["ext"].Name);
        Assert.True(project.Networks["ext"].External);
        Assert.Equal("old-net", project.Networks["legacy"].Name);
        Assert.True(project.Networks["legacy"].External);
    }

    [Fact]
    public void YamlAnchorsAndMergeKeys()
    {
        directory.Write("compose.yaml", """
            x-common: &common
              image: busybox
              restart: always
            services:
              a:
                <<: *common
              b:
                <<: *common
                restart: "no"
            """);

        var project = directory.Load();

        Assert.Equal("busybox", project.Services["a"].Image);
        Assert.Equal("always", project.Services["a"].Restart);
        Assert.Equal("no", project.Services["b"].Restart);
    }

    [Fact]
    public void SettingsBerthIgnoresAreWarnedAbout()
    {
        LoadService("""
            services:
              s:
                image: x
                cap_add: [NET_ADMIN]
            """);

        var warning = Assert.Single(directory.Warnings);
        Assert.Equal("compose.yaml:4:5: services.s.cap_add: not supported by berth compose yet; ignored", warning.ToString());
    }
}
