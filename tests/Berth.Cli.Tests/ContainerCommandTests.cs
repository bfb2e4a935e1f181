namespace Berth.Cli.Tests;

/// <summary>
/// The container commands against the fake daemon: the requests docker's CLI 28 sends (bodies byte for byte, recorded from
/// docker against a fake), the hijacked streams, and docker's tables, texts and exit codes.
/// </summary>
public sealed class ContainerCommandTests : IDisposable
{
    private const string Id = FakeDaemon.ContainerId;
    private readonly FakeDaemon daemon = new();

    public void Dispose() => daemon.Dispose();

    [Fact]
    public async Task DetachedRunSendsDockersCreateBodyThenWaitThenStart()
    {
        var run = await CliRun.RunAsync(
            daemon.Uri, "run", "-d", "--name", "x", "--network", "n", "--ip", "10.1.0.5", "--ip6", "fd00::5", "--mac-address", "02:42:00:00:00:01",
            "--network-alias", "web", "--hostname", "h1", "-e", "A=1", "-w", "/tmp", "-u", "1000", "-l", "k=v", "--entrypoint", "/bin/sh",
            "--restart", "on-failure:3", "--health-cmd", "true", "--health-interval", "5s", "--dns", "1.1.1.1", "--dns-search", "x.org",
            "--dns-option", "ndots:2", "-p", "127.0.0.1:8080:80", "-p", "90", "--read-only", "-v", "/a:/b:ro", "--cap-add", "NET_ADMIN",
            "--cap-drop", "ALL", "--privileged", "--init", "bb:latest", "-c", "echo hi");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Id + "\n", run.Out);
        Assert.Equal(
            [
                """POST /v1.45/containers/create?name=x {"Hostname":"h1","Domainname":"","User":"1000","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"ExposedPorts":{"80/tcp":{},"90/tcp":{}},"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["A=1"],"Cmd":["-c","echo hi"],"Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":5000000000},"Image":"bb:latest","Volumes":{},"WorkingDir":"/tmp","Entrypoint":["/bin/sh"],"OnBuild":null,"Labels":{"k":"v"},"HostConfig":{"Binds":["/a:/b:ro"],"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},"NetworkMode":"n","PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}],"90/tcp":[{"HostIp":"","HostPort":""}]},"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},"AutoRemove":false,"VolumeDriver":"","VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":["CAP_NET_ADMIN"],"CapDrop":["ALL"],"CgroupnsMode":"","Dns":["1.1.1.1"],"DnsOptions":["ndots:2"],"DnsSearch":["x.org"],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"","Privileged":true,"PublishAllPorts":false,"ReadonlyRootfs":true,"SecurityOpt":null,"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":0,"NanoCpus":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,"MemorySwappiness":-1,"OomKillDisable":false,"PidsLimit":0,"Ulimits":[],"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null,"Init":true},"NetworkingConfig":{"EndpointsConfig":{"n":{"IPAMConfig":{"IPv4Address":"10.1.0.5","IPv6Address":"fd00::5"},"Links":null,"Aliases":["web"],"MacAddress":"02:42:00:00:00:01","DriverOpts":null,"GwPriority":0,"NetworkID":"","EndpointID":"","Gateway":"","IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}}}""",
                $"POST /v1.45/containers/{Id}/wait?condition=next-exit",
                $"POST /v1.45/containers/{Id}/start",
            ],
            daemon.Requests);
    }

    [Fact]
    public async Task AttachedRunDefaultsToTheDefaultNetworkAndAttachesBeforeWaitAndStart()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "run", "--rm", "--no-healthcheck", "-e", "FROM_ENV", "bb:latest", "sh", "-c", "echo out; echo err >&2; exit 3");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("out\n", run.Out);
        Assert.Equal("err\n", run.Err);
        Assert.True(daemon.HalfClosed, "berth did not half-close the attach connection (no stdin attached)");
        var create = daemon.Requests[0];
        Assert.Contains("\"AttachStdin\":false,\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":false,\"OpenStdin\":false,\"StdinOnce\":false,\"Env\":[\"FROM_ENV\"],\"Cmd\":[\"sh\",\"-c\",\"echo out; echo err \\u003e\\u00262; exit 3\"],\"Healthcheck\":{\"Test\":[\"NONE\"]},", create, StringComparison.Ordinal);
        Assert.Contains("\"AutoRemove\":true,", create, StringComparison.Ordinal);
        Assert.EndsWith("\"NetworkingConfig\":{\"EndpointsConfig\":{\"default\":{\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,\"MacAddress\":\"\",\"DriverOpts\":null,\"GwPriority\":0,\"NetworkID\":\"\",\"EndpointID\":\"\",\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}}}}", create, StringComparison.Ordinal);
        Assert.Equal(
            [
                $"POST /v1.45/containers/{Id}/attach?stderr=1&stdout=1&stream=1 [upgrade]",
                $"POST /v1.45/containers/{Id}/wait?condition=removed",
                $"POST /v1.45/containers/{Id}/start",
            ],
            daemon.Requests.Skip(1));
    }

    [Fact]
    public async Task InteractiveRunCopiesStdinAndHalfClosesAtItsEnd()
    {
        daemon.WaitStatus = 0;
        daemon.HijackOutput = [];

        var run = await CliRun.RunWithInputAsync(daemon.Uri, "line one\nline two\n", "run", "-i", "bb:latest", "cat");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("line one\nline two\n", daemon.Stdin);
        Assert.True(daemon.HalfClosed);
        Assert.Equal("line one\nline two\n", run.Out);
        Assert.Contains("\"AttachStdin\":true,\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":false,\"OpenStdin\":true,\"StdinOnce\":true,", daemon.Requests[0], StringComparison.Ordinal);
        Assert.Equal($"POST /v1.45/containers/{Id}/attach?stderr=1&stdin=1&stdout=1&stream=1 [upgrade]", daemon.Requests[1]);
    }

    [Fact]
    public async Task TtyOutputIsCopiedRawNotDemultiplexed()
    {
        daemon.WaitStatus = 0;
        daemon.HijackOutput = "\u0001raw tty bytes\r\n"u8.ToArray();

        var run = await CliRun.RunAsync(daemon.Uri, "run", "-t", "bb:latest");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("\u0001raw tty bytes\r\n", run.Out);
        Assert.Contains("\"Tty\":true,", daemon.Requests[0], StringComparison.Ordinal);
        Assert.Contains("\"ConsoleSize\":[0,0]", daemon.Requests[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task InteractiveTtyWithoutATerminalIsRefused()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "run", "-it", "bb:latest", "sh");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("the input device is not a TTY\n", run.Err);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task AMissingImageIsPulledAndTheCreateRepeated()
    {
        daemon.WaitStatus = 0;

        var run = await CliRun.RunAsync(daemon.Uri, "run", "-d", "nosuchimage");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "Unable to find image 'nosuchimage:latest' locally\nlatest: Pulling from library/nosuchimage\nStatus: Downloaded newer image for nosuchimage:latest\n",
            run.Err);
        Assert.Equal("POST /v1.45/images/create?fromImage=docker.io%2Flibrary%2Fnosuchimage&tag=latest", daemon.Requests[1]);
        Assert.StartsWith("POST /v1.45/containers/create {", daemon.Requests[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommandThatCannotBeFoundExits127()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "run", "badcmd");

        Assert.Equal(127, run.ExitCode);
        Assert.Equal(
            "berth: Error response from daemon: failed to create task for container: exec: \"nosuchcmd\": executable file not found in $PATH: unknown\n\nRun 'berth run --help' for more information\n",
            run.Err);
    }

    [Theory]
    [InlineData(125, "berth: conflicting options: cannot specify both --restart and --rm\n\nRun 'berth run --help' for more information\n", "run", "--rm", "--restart", "always", "bb")]
    [InlineData(125, "berth: invalid restart policy format: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'\n\nRun 'berth run --help' for more information\n", "run", "--restart", "sometimes", "bb")]
    [InlineData(125, "berth: --no-healthcheck conflicts with --health-* options\n\nRun 'berth run --help' for more information\n", "run", "--no-healthcheck", "--health-cmd", "x", "bb")]
    [InlineData(125, "berth: invalid containerPort: 80x\n\nRun 'berth container run --help' for more information\n", "container", "run", "-p", "80x", "bb")]
    [InlineData(1, "berth: 'berth run' requires at least 1 argument\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'berth run --help' for more information\n", "run")]
    [InlineData(1, "berth: 'berth exec' requires at least 2 arguments\n\nUsage:  berth exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nSee 'berth exec --help' for more information\n", "exec", "x")]
    [InlineData(125, "unknown flag: --wibble\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n", "ps", "--wibble")]
    public async Task CommandLineErrorsPrintLikeDocker(int exitCode, string stderr, params string[] args)
    {
        var run = await CliRun.RunAsync(daemon.Uri, args);

        Assert.Equal(stderr, run.Err);
        Assert.Equal(exitCode, run.ExitCode);
    }

    [Fact]
    public async Task FlagsAfterTheImageBelongToTheContainer()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "create", "--name", "c", "bb", "ls", "-la", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"Cmd\":[\"ls\",\"-la\",\"--help\"],", daemon.Requests.Single(), StringComparison.Ordinal);
        Assert.Contains("\"AttachStdout\":true,\"AttachStderr\":true,", daemon.Requests.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PsPrintsDockersTable()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "ps");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "CONTAINER ID   IMAGE          COMMAND                  CREATED             STATUS                     PORTS                                  NAMES\n" +
            "a1b2c3d4e5f6   bb:latest      \"sh -c 'echo hello; …\"   3 hours ago         Up 3 hours                 443-444/tcp, 127.0.0.1:18080->80/tcp   web\n" +
            "ffeeddccbbaa   999999999999   \"sleep 1\"                About an hour ago   Exited (0) 2 minutes ago                                          x\n",
            run.Out);
        Assert.Equal(["GET /v1.45/containers/json"], daemon.Requests);
    }

    [Fact]
    public async Task PsQueryCarriesAllFiltersLimitAndSizeInGoOrder()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "container", "ls", "-a", "-n", "3", "--filter", "status=exited", "--filter", "name=x", "-q");

        Assert.Equal("a1b2c3d4e5f6\nffeeddccbbaa\n", run.Out);
        Assert.Equal("GET /v1.45/containers/json?all=1&filters=" + Uri.EscapeDataString("""{"name":{"x":true},"status":{"exited":true}}""") + "&limit=3", daemon.Requests.Single());

        await CliRun.RunAsync(daemon.Uri, "ps", "-l", "--format", "{{.ID}} {{.Size}}");
        Assert.Equal("GET /v1.45/containers/json?limit=1&size=1", daemon.Requests[^1]);
    }

    [Fact]
    public async Task PsJsonAndTemplatesSeeDockersFields()
    {
        var json = await CliRun.RunAsync(daemon.Uri, "ps", "--format", "json");
        var first = json.Out.Split('\n')[0];
        Assert.Matches(
            "^\\{\"Command\":\"\\\\\"sh -c 'echo hello; …\\\\\"\",\"CreatedAt\":\"\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4} \\S+\",\"ID\":\"a1b2c3d4e5f6\",\"Image\":\"bb:latest\",\"Labels\":\"a=1,b=2\",\"LocalVolumes\":\"0\",\"Mounts\":\"\",\"Names\":\"web\",\"Networks\":\"n1\",\"Platform\":null,\"Ports\":\"443-444/tcp, 127.0.0.1:18080-\\\\u003e80/tcp\",\"RunningFor\":\"3 hours ago\",\"Size\":\"0B\",\"State\":\"running\",\"Status\":\"Up 3 hours\"\\}$",
            first);
        Assert.Equal("GET /v1.45/containers/json", daemon.Requests[0]);

        var table = await CliRun.RunAsync(daemon.Uri, "ps", "--no-trunc", "--format", "table {{.Names}}\\t{{.Labels}}\\t{{.Label \"a\"}}\\t{{.Command}}");
        Assert.Equal(
            "NAMES     LABELS    a         COMMAND\n" +
            "web       a=1,b=2   1         \"sh -c 'echo hello; sleep 1000'\"\n" +
            "x                             \"sleep 1\"\n",
            table.Out);
    }

    [Fact]
    public async Task StopKillRmAndRestartPrintEachNameAndReportFailuresLast()
    {
        var stop = await CliRun.RunAsync(daemon.Uri, "stop", "-t", "3", "a", "nosuch", "b");
        Assert.Equal(1, stop.ExitCode);
        Assert.Equal("a\nb\n", stop.Out);
        Assert.Equal("Error response from daemon: No such container: nosuch\n", stop.Err);
        Assert.Equal("POST /v1.45/containers/a/stop?t=3", daemon.Requests[0]);

        var forced = await CliRun.RunAsync(daemon.Uri, "rm", "-f", "-v", "nosuch", "c");
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal("c\n", forced.Out);
        Assert.Equal("Error response from daemon: No such container: nosuch\n", forced.Err);
        Assert.Equal("DELETE /v1.45/containers/c?force=1&v=1", daemon.Requests[^1]);

        Assert.Equal("d\n", (await CliRun.RunAsync(daemon.Uri, "kill", "-s", "HUP", "d")).Out);
        Assert.Equal("POST /v1.45/containers/d/kill?signal=HUP", daemon.Requests[^1]);
        Assert.Equal("e\n", (await CliRun.RunAsync(daemon.Uri, "container", "restart", "e")).Out);
        Assert.Equal("POST /v1.45/containers/e/restart", daemon.Requests[^1]);

        var start = await CliRun.RunAsync(daemon.Uri, "start", "nosuch", "f");
        Assert.Equal(1, start.ExitCode);
        Assert.Equal("f\n", start.Out);
        Assert.Equal("Error response from daemon: No such container: nosuch\nError: failed to start containers: nosuch\n", start.Err);
    }

    [Fact]
    public async Task StartAttachedAttachesWaitsStartsAndExitsWithTheCode()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "start", "-a", "x");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("out\n", run.Out);
        Assert.Equal(
            [
                "GET /v1.45/containers/x/json",
                $"POST /v1.45/containers/{Id}/attach?stderr=1&stdout=1&stream=1 [upgrade]",
                $"POST /v1.45/containers/{Id}/wait?condition=next-exit",
                $"POST /v1.45/containers/{Id}/start",
            ],
            daemon.Requests);
    }

    [Fact]
    public async Task LogsInspectsThenStreamsBothStreams()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "logs", "-t", "--tail", "5", "--until", "2025-01-01T00:00:00Z", "x");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("line1\nline2\n", run.Out);
        Assert.Equal("oops\n", run.Err);
        Assert.Equal(["GET /v1.45/containers/x/json", $"GET /v1.45/containers/{Id}/logs?stderr=1&stdout=1&tail=5&timestamps=1&until=1735689600.000000000"], daemon.Requests);
    }

    [Fact]
    public async Task ExecStreamsAndTakesTheExitCodeFromExecInspect()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "exec", "-e", "A=1", "-w", "/w", "-u", "u", "x", "ls", "-l");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("out\n", run.Out);
        Assert.Equal("err\n", run.Err);
        Assert.True(daemon.HalfClosed);
        Assert.Equal(
            [
                "GET /v1.45/containers/x/json",
                """POST /v1.45/containers/x/exec {"User":"u","Privileged":false,"Tty":false,"AttachStdin":false,"AttachStderr":true,"AttachStdout":true,"Detach":false,"DetachKeys":"","Env":["A=1"],"WorkingDir":"/w","Cmd":["ls","-l"]}""",
                $$"""POST /v1.45/exec/{{FakeDaemon.ExecId}}/start [upgrade] {"Detach":false,"Tty":false}""",
                $"GET /v1.45/exec/{FakeDaemon.ExecId}/json",
            ],
            daemon.Requests);
    }

    [Fact]
    public async Task DetachedExecStartsWithoutUpgrade()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "exec", "-d", "x", "sleep", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("\"AttachStderr\":false,\"AttachStdout\":false,\"Detach\":true,", daemon.Requests[1], StringComparison.Ordinal);
        Assert.Equal($$"""POST /v1.45/exec/{{FakeDaemon.ExecId}}/start {"Detach":true,"Tty":false}""", daemon.Requests[2]);
    }

    [Fact]
    public async Task InspectFallsBackThroughObjectKindsLikeDocker()
    {
        var found = await CliRun.RunAsync(daemon.Uri, "inspect", "-f", "{{.Name}} {{.Config.Tty}} {{.Created}}", "x");
        Assert.Equal("/x false 2025-01-02T03:04:05.5Z\n", found.Out);

        var network = await CliRun.RunAsync(daemon.Uri, "inspect", "-f", "{{.Name}} {{.Created}}", "bridge");
        Assert.Equal("bridge 2025-01-02 03:04:05.123456789 +0000 UTC\n", network.Out);

        var missing = await CliRun.RunAsync(daemon.Uri, "inspect", "nosuch");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("[]\n", missing.Out);
        Assert.Equal("Error: No such object: nosuch\n", missing.Err);

        var typed = await CliRun.RunAsync(daemon.Uri, "container", "inspect", "nosuch");
        Assert.Equal("Error response from daemon: No such container: nosuch\n", typed.Err);
    }

    [Fact]
    public async Task WaitPortAndPrunePrintLikeDocker()
    {
        Assert.Equal("3\n", (await CliRun.RunAsync(daemon.Uri, "wait", "x")).Out);
        Assert.Equal("80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n", (await CliRun.RunAsync(daemon.Uri, "port", "x")).Out);
        Assert.Equal("0.0.0.0:8080\n[::]:8080\n", (await CliRun.RunAsync(daemon.Uri, "port", "x", "80")).Out);
        var unpublished = await CliRun.RunAsync(daemon.Uri, "port", "x", "81/udp");
        Assert.Equal((1, "Error: No public port '81/udp' published for x\n"), (unpublished.ExitCode, unpublished.Err));

        var prune = await CliRun.RunAsync(daemon.Uri, "container", "prune", "-f", "--filter", "until=1h");
        Assert.Equal("Deleted Containers:\na1\nb2\n\nTotal reclaimed space: 1.5kB\n", prune.Out);
        Assert.Equal("POST /v1.45/containers/prune?filters=" + Uri.EscapeDataString("""{"until":{"1h":true}}"""), daemon.Requests[^1]);
    }
}
