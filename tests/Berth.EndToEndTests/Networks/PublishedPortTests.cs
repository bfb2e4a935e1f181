using System.Net;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Networks;

/// <summary>
/// <c>-p</c>/<c>-P</c> with the real docker CLI: published ports reached from the LAN, from the docker host's own
/// addresses and loopback, from neighbours on the same network and from the container itself (hairpin); a port bound
/// to 127.0.0.1 never reachable from the LAN, not even by a packet addressed to 127.0.0.1; host ports held against
/// other programs and other containers; forwarding that outlives a berthd crash and goes with the container.
/// </summary>
public sealed class PublishedPortTests : DaemonTest
{
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(10);

    /// <summary>busybox httpd answering its own hostname on port 80.</summary>
    private static readonly string[] WebServer = ["bb:latest", "sh", "-c", "mkdir -p /www && echo hello-$(hostname) > /www/index.html && exec httpd -f -p 80 -h /www"];

    [RootFact]
    public void PublishedPortsForwardFromEverywhereTheyShouldAndNowhereElse()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "172.30.0.0/24", "web");
        daemon.DockerChecked(["run", "-d", "--name", "srv", "--hostname", "srv", "--network", "web", "-p", "8080:80", "-p", "127.0.0.1:8081:80", "-p", "80", "-p", "5353:5353/udp", .. WebServer]);

        // From the LAN, to the docker host's address.
        Assert.True(Poll.Until(() => Get(LanPeer, "10.77.0.10:8080") == "hello-srv", Up), "the LAN does not reach the published port\n" + daemon.Log);

        // From the docker host: its LAN address, the network's gateway, and loopback (0.0.0.0 and 127.0.0.1 bindings).
        Assert.Equal("hello-srv", Get(DockerHost, "10.77.0.10:8080"));
        Assert.Equal("hello-srv", Get(DockerHost, "172.30.0.1:8080"));
        Assert.Equal("hello-srv", Get(DockerHost, "127.0.0.1:8080"));
        Assert.Equal("hello-srv", Get(DockerHost, "127.0.0.1:8081"));

        // A port bound to 127.0.0.1 is not on the LAN address.
        Assert.Null(Get(LanPeer, "10.77.0.10:8081"));

        // A random host port, as docker port and inspect tell it.
        string random = daemon.DockerChecked("port", "srv", "80/tcp").Output;
        Assert.Contains("0.0.0.0:8080", random, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:8081", random, StringComparison.Ordinal);
        string randomPort = random.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("0.0.0.0:", StringComparison.Ordinal) && !l.EndsWith(":8080", StringComparison.Ordinal))[8..];
        Assert.InRange(int.Parse(randomPort, System.Globalization.CultureInfo.InvariantCulture), 1024, 65535);
        Assert.Equal("hello-srv", Get(LanPeer, "10.77.0.10:" + randomPort));
        string ps = daemon.DockerChecked("ps", "--format", "{{.Ports}}", "--filter", "name=srv").Output;
        Assert.Contains("0.0.0.0:8080->80/tcp", ps, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:8081->80/tcp", ps, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0:5353->5353/udp", ps, StringComparison.Ordinal);
        Assert.Contains("\"8080\"", daemon.DockerChecked("inspect", "-f", "{{json .HostConfig.PortBindings}}", "srv").Output, StringComparison.Ordinal);

        // UDP: a datagram to the published port is answered from the container's namespace.
        string srvNetns = $"/proc/{daemon.DockerChecked("inspect", "-f", "{{.State.Pid}}", "srv").Output.Trim()}/ns/net";
        using (new UdpEcho(srvNetns, 5353))
        {
            Assert.Equal("echo:ping", UdpEcho.Ask(LanPeer.NetnsPath, new IPEndPoint(IPAddress.Parse("10.77.0.10"), 5353), "ping"));
        }

        // Hairpin: a neighbour on the same network and the container itself, through the host's addresses.
        daemon.DockerChecked("run", "-d", "--name", "nb", "--network", "web", "bb:latest", "sleep", "300");
        Assert.Equal("hello-srv", daemon.DockerChecked("exec", "nb", "timeout", "3", "wget", "-qO-", "http://10.77.0.10:8080/").Output.Trim());
        Assert.Equal("hello-srv", daemon.DockerChecked("exec", "nb", "timeout", "3", "wget", "-qO-", "http://172.30.0.1:8080/").Output.Trim());
        Assert.Equal("hello-srv", daemon.DockerChecked("exec", "srv", "timeout", "3", "wget", "-qO-", "http://10.77.0.10:8080/").Output.Trim());

        // A container on another network reaches it through the host too (a published port is public), though not directly.
        daemon.DockerChecked("network", "create", "--subnet", "172.31.0.0/24", "other");
        daemon.DockerChecked("run", "-d", "--name", "far", "--network", "other", "bb:latest", "sleep", "300");
        Assert.Equal("hello-srv", daemon.DockerChecked("exec", "far", "timeout", "3", "wget", "-qO-", "http://10.77.0.10:8080/").Output.Trim());
        Assert.NotEqual(0, daemon.Docker("exec", "far", "timeout", "2", "wget", "-qO-", "http://172.30.0.2:80/").ExitCode);

        // The LAN peer aims a SYN at 127.0.0.1:8081 through the docker host (what Docker before 28 forwarded):
        // it never reaches the container, while the same peer's SYNs to the LAN address do.
        LanPeer.Ip("route", "del", "local", "127.0.0.1", "dev", "lo", "table", "local");
        LanPeer.Ip("route", "add", "127.0.0.1/32", "via", "10.77.0.10");
        using (var syns = new SynCounter(srvNetns, IPAddress.Parse("10.77.0.20"), 80))
        {
            Assert.Null(Get(LanPeer, "127.0.0.1:8081", seconds: 2));
            Assert.Null(Get(LanPeer, "127.0.0.1:8080", seconds: 2));
            Assert.Equal(0, syns.Count);
            Assert.Equal("hello-srv", Get(LanPeer, "10.77.0.10:8080"));
            Assert.True(Poll.Until(() => syns.Count > 0, Up), "the SYN counter saw nothing at all: the proof above proves nothing");
        }

        // Host ports are held: by another container (Docker's message) and against other programs.
        var second = daemon.Docker(["run", "-d", "--name", "second", "--network", "web", "-p", "8080:80", .. WebServer]);
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("Bind for 0.0.0.0:8080 failed: port is already allocated", second.Error, StringComparison.Ordinal);
        Assert.Equal("created", daemon.DockerChecked("inspect", "-f", "{{.State.Status}}", "second").Output.Trim());
        daemon.DockerChecked("rm", "second");
        var taken = DockerHost.Exec("busybox", "nc", "-l", "-p", "8080");
        Assert.NotEqual(0, taken.ExitCode);
        using (var listener = System.Diagnostics.Process.Start("ip", ["netns", "exec", DockerHost.NetnsName, "busybox", "nc", "-l", "-p", "9090"]))
        {
            Assert.True(Poll.Until(() => DockerHost.Exec("busybox", "netstat", "-ltn").Output.Contains(":9090", StringComparison.Ordinal), Up));
            var busy = daemon.Docker(["run", "-d", "--name", "busy", "--network", "web", "-p", "9090:80", .. WebServer]);
            Assert.NotEqual(0, busy.ExitCode);
            Assert.Contains("Bind for 0.0.0.0:9090 failed: port is already in use by another program", busy.Error, StringComparison.Ordinal);
            daemon.DockerChecked("rm", "busy");
            listener.Kill();
            listener.WaitForExit();
        }

        // berthd crashes: forwarding goes on; the next berthd holds the ports again.
        daemon.Kill();
        Assert.Equal("hello-srv", Get(LanPeer, "10.77.0.10:8080"));
        daemon = Restart(daemon);
        Assert.Equal("hello-srv", Get(LanPeer, "10.77.0.10:8080"));
        Assert.Contains("port is already allocated", daemon.Docker(["run", "-d", "--name", "again", "--network", "web", "-p", "8080:80", .. WebServer]).Error, StringComparison.Ordinal);
        daemon.DockerChecked("rm", "again");

        // Stopped: the forwarding goes; the port is free for another container.
        daemon.DockerChecked("stop", "-t", "1", "srv");
        Assert.Null(Get(LanPeer, "10.77.0.10:8080", seconds: 2));
        Assert.Equal("", daemon.DockerChecked("port", "srv").Output.Trim());
        daemon.DockerChecked(["run", "-d", "--name", "next", "--hostname", "next", "--network", "web", "-p", "8080:80", .. WebServer]);
        Assert.True(Poll.Until(() => Get(LanPeer, "10.77.0.10:8080") == "hello-next", Up));
        daemon.DockerChecked("rm", "-f", "next", "srv", "nb", "far");
        foreach (string map in (string[])["ports_any_v4", "ports_addr_v4"])
        {
            Assert.DoesNotContain("elements", DockerHost.Exec("nft", "list", "map", "inet", "berth", map).Output, StringComparison.Ordinal);
        }

        daemon.DockerChecked("network", "rm", "web", "other");
        daemon.Stop();
    }

    [RootFact]
    public void PublishAllExposesEveryPortAndBadSpecificationsAreClearErrors()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked(["run", "-d", "--name", "all", "--hostname", "all", "--expose", "80", "--expose", "7000-7001/udp", "-P", .. WebServer]);
        string ports = daemon.DockerChecked("port", "all").Output;
        Assert.Contains("80/tcp -> 0.0.0.0:", ports, StringComparison.Ordinal);
        Assert.Contains("7000/udp -> 0.0.0.0:", ports, StringComparison.Ordinal);
        Assert.Contains("7001/udp -> 0.0.0.0:", ports, StringComparison.Ordinal);
        string web = ports.Split('\n').First(l => l.StartsWith("80/tcp", StringComparison.Ordinal)).Split(':')[^1].Trim();
        Assert.True(Poll.Until(() => Get(LanPeer, "10.77.0.10:" + web) == "hello-all", Up), daemon.Log);

        // A range of host ports for one container port: the first free one of it.
        daemon.DockerChecked(["run", "-d", "--name", "ranged", "-p", "8000-8010:80", .. WebServer]);
        Assert.Contains("0.0.0.0:8000", daemon.DockerChecked("port", "ranged", "80").Output, StringComparison.Ordinal);
        daemon.DockerChecked(["run", "-d", "--name", "ranged2", "-p", "8000-8010:80", .. WebServer]);
        Assert.Contains("0.0.0.0:8001", daemon.DockerChecked("port", "ranged2", "80").Output, StringComparison.Ordinal);

        // An address the host does not have.
        var foreign = daemon.Docker(["run", "-d", "--name", "foreign", "-p", "10.99.0.1:8080:80", .. WebServer]);
        Assert.NotEqual(0, foreign.ExitCode);
        Assert.Contains("10.99.0.1 is not an address of this host", foreign.Error, StringComparison.Ordinal);
        daemon.DockerChecked("rm", "foreign");

        // The API refuses what the CLI would not send.
        var bad = Api(daemon, "POST", "/containers/create", "{\"Image\":\"bb:latest\",\"HostConfig\":{\"PortBindings\":{\"80/xtp\":[{\"HostPort\":\"8080\"}]}}}");
        Assert.Equal(400, bad.Status);
        Assert.Contains("invalid proto \\\"xtp\\\"", bad.Body, StringComparison.Ordinal);
        bad = Api(daemon, "POST", "/containers/create", "{\"Image\":\"bb:latest\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"99999\"}]}}}");
        Assert.Equal(400, bad.Status);
        Assert.Contains("invalid host port", bad.Body, StringComparison.Ordinal);
        bad = Api(daemon, "POST", "/containers/create", "{\"Image\":\"bb:latest\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"nope\",\"HostPort\":\"80\"}]}}}");
        Assert.Equal(400, bad.Status);
        Assert.Contains("invalid host IP", bad.Body, StringComparison.Ordinal);
        daemon.DockerChecked("rm", "-f", "all", "ranged", "ranged2");
        daemon.Stop();
    }

    [RootFact]
    public void PublishedPortsWorkWithIccOffAndOverIPv6ButNotIntoInternalNetworks()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // enable_icc=false: neighbours cannot talk directly, yet the published port works for them and for the LAN.
        daemon.DockerChecked("network", "create", "--subnet", "172.30.1.0/24", "-o", "com.docker.network.bridge.enable_icc=false", "quiet");
        daemon.DockerChecked(["run", "-d", "--name", "srv", "--hostname", "srv", "--network", "quiet", "--ip", "172.30.1.2", "-p", "8080:80", .. WebServer]);
        daemon.DockerChecked("run", "-d", "--name", "nb", "--network", "quiet", "bb:latest", "sleep", "300");
        Assert.True(Poll.Until(() => Get(LanPeer, "10.77.0.10:8080") == "hello-srv", Up), daemon.Log);
        Assert.NotEqual(0, daemon.Docker("exec", "nb", "timeout", "2", "wget", "-qO-", "http://172.30.1.2:80/").ExitCode);
        Assert.Equal("hello-srv", daemon.DockerChecked("exec", "nb", "timeout", "3", "wget", "-qO-", "http://10.77.0.10:8080/").Output.Trim());
        daemon.DockerChecked("rm", "-f", "srv", "nb");

        // --internal: nothing is published (as Docker), so nothing of it is reachable from outside.
        daemon.DockerChecked("network", "create", "--internal", "--subnet", "172.30.2.0/24", "sealed");
        daemon.DockerChecked(["run", "-d", "--name", "hidden", "--hostname", "hidden", "--network", "sealed", "-p", "8082:80", .. WebServer]);
        Assert.Equal("", daemon.DockerChecked("port", "hidden").Output.Trim());
        Assert.Null(Get(LanPeer, "10.77.0.10:8082", seconds: 2));
        Assert.Null(Get(DockerHost, "127.0.0.1:8082", seconds: 2));
        Assert.Equal("hello-hidden", daemon.DockerChecked("exec", "hidden", "timeout", "3", "wget", "-qO-", "http://127.0.0.1:80/").Output.Trim());
        daemon.DockerChecked("rm", "-f", "hidden");

        // IPv6: the port is published on :: as well, and reached from the LAN over IPv6.
        HostIp("addr", "add", "fd00:77::10/64", "dev", "eth0", "nodad");
        LanPeer.Ip("addr", "add", "fd00:77::20/64", "dev", "eth0", "nodad");
        daemon.DockerChecked("network", "create", "--ipv6", "--subnet", "172.30.3.0/24", "--subnet", "fd00:30:3::/64", "dual");
        daemon.DockerChecked(["run", "-d", "--name", "dual", "--hostname", "dual", "--network", "dual", "-p", "8083:80", .. WebServer]);
        string ports = daemon.DockerChecked("port", "dual", "80").Output;
        Assert.Contains("0.0.0.0:8083", ports, StringComparison.Ordinal);
        Assert.Contains("[::]:8083", ports, StringComparison.Ordinal);
        Assert.True(Poll.Until(() => Get(LanPeer, "[fd00:77::10]:8083") == "hello-dual", Up), "the LAN does not reach the published port over IPv6\n" + daemon.Log);
        Assert.Equal("hello-dual", Get(LanPeer, "10.77.0.10:8083"));
        daemon.DockerChecked("rm", "-f", "dual");
        Assert.Null(Get(LanPeer, "[fd00:77::10]:8083", seconds: 2));
        daemon.DockerChecked("network", "rm", "quiet", "sealed", "dual");
        daemon.Stop();
    }

    [RootFact]
    public void PortsFollowTheContainerOffItsNetworkAndHonourTheNetworksHostBinding()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // The network carrying the ports goes: they move to the container's next bridge network.
        daemon.DockerChecked("network", "create", "--subnet", "172.30.4.0/24", "first");
        daemon.DockerChecked("network", "create", "--subnet", "172.30.5.0/24", "second");
        daemon.DockerChecked(["run", "-d", "--name", "mover", "--hostname", "mover", "--network", "first", "-p", "8085:80", .. WebServer]);
        daemon.DockerChecked("network", "connect", "second", "mover");
        Assert.True(Poll.Until(() => Get(LanPeer, "10.77.0.10:8085") == "hello-mover", Up), daemon.Log);
        daemon.DockerChecked("network", "disconnect", "first", "mover");
        Assert.Equal("hello-mover", Get(LanPeer, "10.77.0.10:8085"));
        Assert.Contains("172.30.5.", DockerHost.Exec("nft", "list", "map", "inet", "berth", "ports_any_v4").Output, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0:8085", daemon.DockerChecked("port", "mover", "80").Output, StringComparison.Ordinal);

        // host_binding_ipv4: ports published without an address use the network's.
        daemon.DockerChecked("network", "create", "--subnet", "172.30.6.0/24", "-o", "com.docker.network.bridge.host_binding_ipv4=127.0.0.1", "local");
        daemon.DockerChecked(["run", "-d", "--name", "homebody", "--hostname", "homebody", "--network", "local", "-p", "8086:80", .. WebServer]);
        Assert.Contains("127.0.0.1:8086", daemon.DockerChecked("port", "homebody", "80").Output, StringComparison.Ordinal);
        Assert.True(Poll.Until(() => Get(DockerHost, "127.0.0.1:8086") == "hello-homebody", Up), daemon.Log);
        Assert.Null(Get(LanPeer, "10.77.0.10:8086", seconds: 2));
        daemon.DockerChecked("rm", "-f", "mover", "homebody");
        daemon.DockerChecked("network", "rm", "first", "second", "local");
        daemon.Stop();
    }

    /// <summary>One API call with curl on the daemon's socket: the status and the body.</summary>
    private static (int Status, string Body) Api(Berthd daemon, string method, string path, string body)
    {
        string output = Cmd.Check("curl", "-sS", "--unix-socket", daemon.Socket, "-X", method, "-H", "Content-Type: application/json",
            "-d", body, "-w", "\n%{http_code}", "http://berth" + path);
        int split = output.LastIndexOf('\n');
        return (int.Parse(output[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), output[..split]);
    }

    /// <summary>busybox wget inside a lab host; the body, or null when it fails.</summary>
    private static string? Get(LabHost from, string hostPort, int seconds = 3)
    {
        // busybox's own -T crashes this busybox wget (1.35); timeout(1) bounds it instead.
        var result = from.Exec("busybox", "timeout", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "busybox", "wget", "-qO-", $"http://{hostPort}/");
        return result.ExitCode == 0 ? result.Output.Trim() : null;
    }
}
